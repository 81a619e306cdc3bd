// The masked-LM corruption against its definition (BERT §3.1, HF DataCollatorForLanguageModeling): the chosen share
// and the 80/10/10 split within binomial bounds on many tokens, special tokens and padding never chosen, labels −100
// exactly where nothing was chosen, and the same masks for the same (seed, batch) — the premise of an exact resume.
using Sieve.Modeling;
using Sieve.Pretraining;
using Sieve.Tokenization;

namespace Sieve.Tests.Pretraining;

public sealed class MlmMaskingTests
{
    private const int MaskId = 3;
    private const int Original = 7;

    // |observed − n·p| ≤ 5 σ of Binomial(n, p): fails by chance with probability below 1e-6.
    private static void AssertBinomial(long observed, long n, double p, string what)
    {
        double mean = n * p, sigma = Math.Sqrt(n * p * (1 - p));
        Assert.True(Math.Abs(observed - mean) <= 5 * sigma, $"{what}: {observed} of {n}, expected {mean:0.0} ± {5 * sigma:0.0}");
    }

    [Fact]
    public void ChosenShareAndReplacementSplit_FollowBertsRecipe()
    {
        const int n = 400_000, vocabulary = 1000;
        var ids = new long[n];
        var labels = new long[n];
        var maskable = new bool[n];
        Array.Fill(ids, Original);
        for (int t = 0; t < n; t++) maskable[t] = t % 10 != 0;   // every tenth token is special
        int chosen = MlmMasking.Apply(ids, labels, maskable, MlmMaskingOptions.Default, MaskId, vocabulary, MlmMasking.RandomFor(5, 0));

        long candidates = maskable.Count(m => m);
        AssertBinomial(chosen, candidates, 0.15, "chosen");
        Assert.Equal(chosen, labels.Count(l => l != BertForMaskedLM.IgnoreIndex));

        long masked = 0, kept = 0, replaced = 0;
        var randomIds = new HashSet<long>();
        for (int t = 0; t < n; t++)
        {
            if (labels[t] == BertForMaskedLM.IgnoreIndex)
            {
                Assert.Equal(Original, ids[t]);   // untouched where nothing was chosen
                continue;
            }
            Assert.True(maskable[t], $"special position {t} was chosen");
            Assert.Equal(Original, labels[t]);
            if (ids[t] == MaskId) masked++;
            else if (ids[t] == Original) kept++;
            else
            {
                replaced++;
                Assert.InRange(ids[t], 0, vocabulary - 1);
                randomIds.Add(ids[t]);
            }
        }
        // A random draw lands on [MASK] or the original id with probability 1/V each: it then looks masked or kept.
        double hit = 0.1 / vocabulary;
        AssertBinomial(masked, chosen, 0.8 + hit, "[MASK]");
        AssertBinomial(kept, chosen, 0.1 + hit, "kept");
        AssertBinomial(replaced, chosen, 0.1 - (2 * hit), "random");
        Assert.True(randomIds.Count > vocabulary * 0.9, $"random replacements used only {randomIds.Count} of {vocabulary} ids");
    }

    [Theory]
    [InlineData(0.3, 0.5, 0.25)]
    [InlineData(0.5, 1.0, 0.0)]
    [InlineData(0.1, 0.0, 1.0)]
    public void OtherShares_AreHonoured(double probability, double maskShare, double randomShare)
    {
        const int n = 200_000, vocabulary = 5000;
        var ids = Enumerable.Repeat((long)Original, n).ToArray();
        var labels = new long[n];
        var options = new MlmMaskingOptions { Probability = probability, MaskShare = maskShare, RandomShare = randomShare };
        int chosen = MlmMasking.Apply(ids, labels, Enumerable.Repeat(true, n).ToArray(), options, MaskId, vocabulary, MlmMasking.RandomFor(1, 2));

        AssertBinomial(chosen, n, probability, "chosen");
        double hit = randomShare / vocabulary;
        AssertBinomial(ids.Count(i => i == MaskId), chosen, maskShare + hit, "[MASK]");
        AssertBinomial(ids.Count(i => i != MaskId && i != Original), chosen, randomShare - (2 * hit), "random");
    }

    [Fact]
    public void SameSeedAndBatch_GiveTheSameMasks_OthersDiffer()
    {
        static (long[] Ids, long[] Labels) Mask(int seed, int batch)
        {
            var ids = Enumerable.Range(0, 2000).Select(i => (long)(5 + (i % 50))).ToArray();
            var labels = new long[ids.Length];
            MlmMasking.Apply(ids, labels, Enumerable.Repeat(true, ids.Length).ToArray(), MlmMaskingOptions.Default, MaskId, 60, MlmMasking.RandomFor(seed, batch));
            return (ids, labels);
        }
        var a = Mask(42, 3);
        var b = Mask(42, 3);
        Assert.Equal(a.Ids, b.Ids);
        Assert.Equal(a.Labels, b.Labels);
        Assert.NotEqual(a.Labels, Mask(42, 4).Labels);
        Assert.NotEqual(a.Labels, Mask(43, 3).Labels);
        Assert.NotEqual(42, MlmMasking.ValidationSeed(42));
    }

    [Fact]
    public void Collate_NeverChoosesClsSepOrPadding_AndPadsWithPadId()
    {
        using var files = new PretrainTestFiles();
        var encoder = new TextLineEncoder(SieveTokenizer.Create(files.VocabPath), maxLength: 12);
        var lines = encoder.EncodeAll([.. PretrainTestFiles.Lines(6).Select((text, i) => new Sieve.Data.Example(text, null, null, null, i + 1))]);
        Assert.Equal(4, encoder.MaskTokenId);
        Assert.All(lines, line => Assert.InRange(line.InputIds.Length, 4, 12));   // truncated to the maximum length
        var options = new MlmMaskingOptions { Probability = 0.9 };   // choose nearly everything, so a leak would show
        int chosenTotal = 0;
        for (int batchIndex = 0; batchIndex < 50; batchIndex++)
        {
            using var batch = MlmBatch.Collate(lines, encoder.PadId, encoder.MaskTokenId, encoder.VocabularySize, options, MlmMasking.RandomFor(0, batchIndex));
            int width = (int)batch.InputIds.shape[1];
            var ids = batch.InputIds.data<long>().ToArray();
            var labels = batch.Labels.data<long>().ToArray();
            var mask = batch.AttentionMask.data<long>().ToArray();
            for (int b = 0; b < lines.Length; b++)
            {
                var line = lines[b];
                for (int t = 0; t < width; t++)
                {
                    int k = (b * width) + t;
                    bool special = t >= line.InputIds.Length || t == 0 || t == line.InputIds.Length - 1;
                    if (t >= line.InputIds.Length)
                    {
                        Assert.Equal(encoder.PadId, ids[k]);
                        Assert.Equal(0, mask[k]);
                    }
                    if (special)
                    {
                        Assert.Equal(BertForMaskedLM.IgnoreIndex, labels[k]);
                        if (t < line.InputIds.Length) Assert.Equal(line.InputIds[t], ids[k]);
                    }
                    else if (labels[k] == BertForMaskedLM.IgnoreIndex)
                    {
                        Assert.Equal(line.InputIds[t], ids[k]);
                    }
                    else
                    {
                        Assert.Equal(line.InputIds[t], labels[k]);
                        chosenTotal++;
                    }
                }
            }
            Assert.Equal(labels.Count(l => l != BertForMaskedLM.IgnoreIndex), batch.MaskedTokens);
        }
        int realNonSpecial = lines.Sum(l => l.InputIds.Length - 2) * 50;
        AssertBinomial(chosenTotal, realNonSpecial, 0.9, "chosen among real, non-special tokens");
    }

    [Fact]
    public void BatchSource_StartingAtABatch_GivesWhatAFullPassGivesThere()
    {
        using var files = new PretrainTestFiles();
        var encoder = new TextLineEncoder(SieveTokenizer.Create(files.VocabPath), maxLength: 16);
        var lines = encoder.EncodeAll([.. PretrainTestFiles.Lines(20).Select((text, i) => new Sieve.Data.Example(text, null, null, null, i + 1))]);
        var source = new MlmBatchSource(lines, 3, encoder.PadId, encoder.MaskTokenId, encoder.VocabularySize, MlmMaskingOptions.Default);
        Assert.Equal(7, source.BatchesPerEpoch);

        static (long[] Ids, long[] Labels) Read(MlmBatch batch)
        {
            using (batch) return (batch.InputIds.data<long>().ToArray(), batch.Labels.data<long>().ToArray());
        }
        var full = source.Batches(1, 42, 0).Select(Read).ToList();
        var resumed = source.Batches(1, 42, 4).Select(Read).ToList();
        Assert.Equal(3, resumed.Count);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(full[4 + i].Ids, resumed[i].Ids);
            Assert.Equal(full[4 + i].Labels, resumed[i].Labels);
        }
        var otherEpoch = source.Batches(2, 42, 0).Select(Read).ToList();
        Assert.NotEqual(full[0].Labels, otherEpoch[0].Labels);
    }

    [Fact]
    public void Options_RejectSharesOutOfRange_WithTheRecipeInTheMessage()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new MlmMaskingOptions { Probability = 0 });
        Assert.Contains("0.15", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MlmMaskingOptions { MaskShare = 1.5 });
        var sum = Assert.Throws<ArgumentException>(() => new MlmMaskingOptions { MaskShare = 0.8, RandomShare = 0.3 }.Validate());
        Assert.Contains("more than 1", sum.Message, StringComparison.Ordinal);
        Assert.Equal(0.1, MlmMaskingOptions.Default.KeepShare, 12);
    }
}
