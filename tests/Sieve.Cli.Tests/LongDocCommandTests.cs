// `sieve data longdoc` as a user runs it, on small SST-2- and RTE-shaped folders and a vocabulary of their words: the
// written documents encode to the token counts and needle positions the files state (the model's own tokenizer counted
// them), dev documents take only dev needles, the same seed writes the same files, and a taken folder or a folder
// without dev.tsv exits 2.
using System.Globalization;
using Sieve.Data;
using Sieve.Tokenization;

namespace Sieve.Cli.Tests;

public sealed class LongDocCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sieve-cli-longdoc-").FullName;

    public LongDocCommandTests()
    {
        // Needles: "wN is good|bad movie" (train w0–w29, dev w30–w39); filler: RTE pairs of plain words, some split into
        // wordpieces (##s) so that token counts differ from word counts.
        Write("sst2/train.tsv", ["sentence\tlabel", .. Enumerable.Range(0, 30).Select(i => $"w{i} is {(i % 2 == 1 ? "good" : "bad")} movie\t{i % 2}")]);
        Write("sst2/dev.tsv", ["sentence\tlabel", .. Enumerable.Range(30, 10).Select(i => $"w{i} is {(i % 2 == 1 ? "good" : "bad")} movie\t{i % 2}")]);
        string[] Pairs(int from) => ["index\tsentence1\tsentence2\tlabel",
            .. Enumerable.Range(from, 20).Select(i => $"{i}\tnews{i % 7} said the news{i % 5}s of today.\tthe news{i % 3} is news{i % 4}s\tentailment")];
        Write("rte/train.tsv", Pairs(0));
        Write("rte/dev.tsv", Pairs(20));
        Write("tok/vocab.txt", ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "is", "good", "bad", "movie", "said", "the", "of", "today", ".", "##s",
            .. Enumerable.Range(0, 40).Select(i => $"w{i}"), .. Enumerable.Range(0, 7).Select(i => $"news{i}")]);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void Write(string name, string[] lines)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(_dir, name))!);
        File.WriteAllLines(Path.Combine(_dir, name), lines);
    }

    private (int Code, string Output, string Error) Generate(string output, int dev = 8) => CliInvocation.Run(
        ["data", "longdoc", "--needles", Path.Combine(_dir, "sst2"), "--filler", Path.Combine(_dir, "rte"), "--model", Path.Combine(_dir, "tok"),
         "--tokens", "120", "--min-offset", "40", "--min-needle-words", "4", "--train", "20", "--dev", dev.ToString(CultureInfo.InvariantCulture), "--seed", "3", "-o", Path.Combine(_dir, output)]);

    [Fact]
    public void TheDocuments_EncodeToTheStatedLengths_WithTheNeedleWhereTheFileSays()
    {
        var (code, output, error) = Generate("out");
        Assert.True(code == 0, error);
        Assert.Contains("train: 20 documents", output, StringComparison.Ordinal);
        var tokenizer = SieveTokenizer.Create(Path.Combine(_dir, "tok", "vocab.txt"));
        var untruncated = new EncodeOptions { MaxLength = int.MaxValue, Truncation = TruncationStrategy.None };
        foreach (var (split, needles) in new[] { ("train", (0, 30)), ("dev", (30, 40)) })
        {
            var rows = File.ReadAllLines(Path.Combine(_dir, "out", $"{split}.tsv")).Skip(1).Select(line => line.Split('\t')).ToArray();
            Assert.Equal(split == "train" ? 20 : 8, rows.Length);
            foreach (var row in rows)
            {
                var encoded = tokenizer.Encode(row[0], null, untruncated);
                Assert.Equal(int.Parse(row[3]), encoded.RealLength);
                Assert.InRange(encoded.RealLength, 100, 120);
                int at = int.Parse(row[2]);
                Assert.True(at >= 40, $"needle at {at}");
                var needle = encoded.Tokens.Skip(at).Take(4).ToArray();   // wN is good|bad movie
                int number = int.Parse(needle[0][1..]);
                Assert.InRange(number, needles.Item1, needles.Item2 - 1);
                Assert.Equal(["is", number % 2 == 1 ? "good" : "bad", "movie"], needle[1..]);
                Assert.Equal((number % 2).ToString(), row[1]);
            }
        }
        Assert.True(File.Exists(Path.Combine(_dir, "out", LongDocumentGenerator.ManifestFile)));

        (code, _, error) = Generate("again");
        Assert.True(code == 0, error);
        Assert.Equal(File.ReadAllText(Path.Combine(_dir, "out", "train.tsv")), File.ReadAllText(Path.Combine(_dir, "again", "train.tsv")));
    }

    [Fact]
    public void ATakenFolder_OrNoDevFile_OrTooManyDocuments_ExitWith2_OnOneLine()
    {
        Assert.Equal(0, Generate("out").Code);
        var (code, _, error) = Generate("out");
        Assert.Equal(2, code);
        Assert.Contains("exists", error, StringComparison.Ordinal);

        (code, _, error) = Generate("more", dev: 11);
        Assert.Equal(2, code);
        Assert.Contains("only 10", error, StringComparison.Ordinal);

        File.Delete(Path.Combine(_dir, "rte", "dev.tsv"));
        (code, _, error) = Generate("nodev");
        Assert.Equal(2, code);
        Assert.Contains("dev.tsv", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }
}
