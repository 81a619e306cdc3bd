// `sieve data imdb` on a small folder laid out like aclImdb: every review lands once with its folder's label, a review
// with tabs and line breaks stays one TSV field, a subset is balanced, the same seed writes the same files, the text
// task reads what was written, and a folder without the layout, a subset larger than the folder, or a taken output
// folder exit 2 with a message that says what to do.
using Sieve.Data;

namespace Sieve.Cli.Tests;

public sealed class ImdbCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sieve-cli-imdb-").FullName;

    public ImdbCommandTests()
    {
        foreach (var (split, count) in new[] { ("train", 5), ("test", 3) })
        {
            foreach (var (folder, rating) in new[] { ("neg", 2), ("pos", 9) })
            {
                for (int i = 0; i < count; i++)
                    Write($"aclImdb/{split}/{folder}/{i}_{rating}.txt", $"{split} {folder} review {i}.<br /><br />It was {folder}.");
            }
        }
        Write("aclImdb/train/pos/99_10.txt", "a review\twith a tab\nand a line break");
        Write("aclImdb/train/unsup/0_0.txt", "unlabelled reviews are not read");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void Write(string name, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(_dir, name))!);
        File.WriteAllText(Path.Combine(_dir, name), text);
    }

    private (int Code, string Output, string Error) Convert(string output, params string[] extra) => CliInvocation.Run(
        ["data", "imdb", "--input", Path.Combine(_dir, "aclImdb"), "-o", Path.Combine(_dir, output), .. extra]);

    private string[][] Rows(string output, string split) =>
        File.ReadAllLines(Path.Combine(_dir, output, $"{split}.tsv")).Skip(1).Select(line => line.Split('\t')).ToArray();

    [Fact]
    public void EveryReview_LandsOnce_WithItsFoldersLabel_OnOneLine()
    {
        var (code, output, error) = Convert("all");
        Assert.True(code == 0, error);
        Assert.Equal("text\tlabel", File.ReadLines(Path.Combine(_dir, "all", "train.tsv")).First());
        var train = Rows("all", "train");
        Assert.Equal(11, train.Length);
        Assert.All(train, row => Assert.Equal(2, row.Length));
        Assert.All(train.Where(r => r[0].Contains(" neg ", StringComparison.Ordinal)), r => Assert.Equal("0", r[1]));
        Assert.All(train.Where(r => r[0].Contains(" pos ", StringComparison.Ordinal)), r => Assert.Equal("1", r[1]));
        Assert.Contains(train, r => r[0] == "a review with a tab and a line break" && r[1] == "1");
        Assert.Contains(train, r => r[0] == "train neg review 3.<br /><br />It was neg.");   // LRA keeps the breaks
        Assert.DoesNotContain(train, r => r[0].Contains("unlabelled", StringComparison.Ordinal));
        Assert.Equal(6, Rows("all", "dev").Length);
        Assert.All(Rows("all", "dev"), r => Assert.StartsWith("test ", r[0], StringComparison.Ordinal));
        Assert.Contains("train (from train/): 11 reviews, labels 0:5 1:6", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_dir, "all", ImdbReviews.ManifestFile)));

        var splits = TaskFileReader.ReadTask(TaskDefinition.Parse("text"), Path.Combine(_dir, "all"));
        Assert.Equal([11, 6], splits.Select(s => s.Examples.Count));
    }

    [Fact]
    public void ASubset_IsBalanced_AndTheSameSeedWritesTheSameFiles()
    {
        foreach (var name in new[] { "a", "b" })
        {
            var (code, _, error) = Convert(name, "--train", "4", "--dev", "3", "--seed", "7", "--strip-breaks");
            Assert.True(code == 0, error);
        }
        var train = Rows("a", "train");
        Assert.Equal(2, train.Count(r => r[1] == "0"));
        Assert.Equal(2, train.Count(r => r[1] == "1"));
        Assert.Equal(2, Rows("a", "dev").Count(r => r[1] == "0"));   // the odd review is negative
        Assert.All(train, r => Assert.DoesNotContain("<br />", r[0], StringComparison.Ordinal));
        Assert.Equal(File.ReadAllText(Path.Combine(_dir, "a", "train.tsv")), File.ReadAllText(Path.Combine(_dir, "b", "train.tsv")));
        Assert.Equal(File.ReadAllText(Path.Combine(_dir, "a", "dev.tsv")), File.ReadAllText(Path.Combine(_dir, "b", "dev.tsv")));
    }

    [Fact]
    public void BadInput_Exits2_AndSaysWhatToDo()
    {
        var (code, _, error) = CliInvocation.Run(["data", "imdb", "--input", Path.Combine(_dir, "aclImdb", "train"), "-o", Path.Combine(_dir, "x")]);
        Assert.Equal(2, code);
        Assert.Contains("point --input at the unpacked aclImdb folder", error, StringComparison.Ordinal);

        (code, _, error) = Convert("y", "--dev", "8");
        Assert.Equal(2, code);
        Assert.Contains("--dev 8 needs 4 neg reviews but the folder has 3", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "y", "train.tsv")));

        Assert.Equal(0, Convert("z").Code);
        var before = File.ReadAllText(Path.Combine(_dir, "z", "train.tsv"));
        (code, _, error) = Convert("z", "--seed", "1");
        Assert.Equal(2, code);
        Assert.Contains("exists", error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(Path.Combine(_dir, "z", "train.tsv")));
    }
}
