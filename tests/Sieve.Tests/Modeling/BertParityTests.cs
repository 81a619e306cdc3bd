// Hugging Face parity of the BERT model: the state-dict keys and shapes of bert-base-uncased (built on the meta
// device), and the outputs HF gives on the tiny-bert fixture (golden.json), through the real loading path.
using System.Text.Json;
using Sieve.Checkpoints;
using Sieve.Modeling;
using Sieve.TestSupport;
using static TorchSharp.torch;

namespace Sieve.Tests.Modeling;

public sealed class BertParityTests
{
    [Fact]
    public void SequenceClassification_KeysAndShapes_AreHuggingFaces()
    {
        var expected = File.ReadLines(Fixtures.PathOf("bert-base-uncased.seqcls.keys.tsv"))
            .Where(line => !line.StartsWith('#') && line.Length > 0)
            .Select(line => line.Split('\t'))
            .Select(parts => (Key: parts[0], Shape: string.Join(",", parts[1].Split(',').Select(long.Parse))))
            .ToList();
        using var model = new BertForSequenceClassification(new BertConfig { NumLabels = 2 }, device: device("meta"));
        var actual = model.state_dict().Select(kv => (Key: kv.Key, Shape: string.Join(",", kv.Value.shape))).ToList();
        Assert.Equal(expected, actual);
        Assert.Equal(109483778L, model.parameters().Sum(p => p.numel()));   // the TSV header's count
    }

    [Fact]
    public void MaskedLM_HasHfKeys_NoPooler_AndADecoderTiedToTheWordEmbeddings()
    {
        var config = new BertConfig { VocabSize = 11, HiddenSize = 8, NumHiddenLayers = 1, NumAttentionHeads = 2, IntermediateSize = 12, MaxPositionEmbeddings = 10 };
        manual_seed(3);
        using var model = new BertForMaskedLM(config, dtype: ScalarType.Float64);
        model.eval();
        var keys = model.state_dict().Keys.ToList();
        Assert.Contains("cls.predictions.transform.dense.weight", keys);
        Assert.Contains("cls.predictions.transform.LayerNorm.weight", keys);
        Assert.Contains("cls.predictions.bias", keys);
        Assert.DoesNotContain(keys, k => k.Contains("pooler", StringComparison.Ordinal));
        Assert.Equal(["bert.embeddings.word_embeddings.weight"], keys.Where(k => k.Contains("word_embeddings", StringComparison.Ordinal)));

        using var ids = tensor(new long[] { 2, 5, 7, 3 }).unsqueeze(0);
        using var logits = model.forward(ids);                                                        // [1, 4, V]
        // The decoder is the embedding matrix: changing row 9 (a word absent from the input) moves logit 9 and no other.
        // (A unit step in one coordinate: a constant step would cancel against the LayerNorm output, which sums to 0.)
        var state = model.state_dict();
        using (no_grad()) state["bert.embeddings.word_embeddings.weight"][9][0].add_(1.0);
        using var shifted = model.forward(ids);
        using var delta = shifted - logits;                                                           // [1, 4, V]
        Assert.Equal(0.0, delta.index_select(2, tensor(new long[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 10 })).abs().max().item<double>(), 12);
        Assert.True(delta.select(2, 9).abs().min().item<double>() > 1e-6);
    }

    public static TheoryData<ScalarType, double> Precisions => new() { { ScalarType.Float32, 1e-5 }, { ScalarType.Float64, 1e-10 } };

    [Theory]
    [MemberData(nameof(Precisions))]
    public void TinyBert_ReproducesHuggingFaceGoldenOutputs(ScalarType dtype, double tolerance)
    {
        var directory = Fixtures.PathOf("tiny-bert");
        using var model = BertCheckpoint.LoadForSequenceClassification(directory, out var report, new CheckpointLoadOptions { DType = dtype });
        Assert.Equal(41, report.Loaded.Count);
        Assert.Empty(report.NewlyInitialized);
        Assert.NotNull(BertCheckpoint.VocabPath(directory));

        using var golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "golden.json")));
        var cases = golden.RootElement.GetProperty("cases").EnumerateArray().ToList();
        Assert.Equal(3, cases.Count);
        foreach (var c in cases)
        {
            using var scope = NewDisposeScope();
            long[] Ints(string name) => [.. c.GetProperty(name).EnumerateArray().Select(e => e.GetInt64())];
            var mask = Ints("attention_mask");
            var ids = tensor(Ints("input_ids")).unsqueeze(0);                 // [1, N]
            var types = tensor(Ints("token_type_ids")).unsqueeze(0);          // [1, N]
            var attention = tensor(mask).unsqueeze(0);                        // [1, N]
            var output = model.Bert.forward(ids, types, attention);
            var logits = model.forward(ids, types, attention);                // [1, L]
            Assert.Equal(dtype, logits.dtype);

            var hidden = output.LastHiddenState.squeeze(0).to_type(ScalarType.Float64);   // [N, Hd]
            var rows = c.GetProperty("last_hidden_state").EnumerateArray().ToList();
            var compared = 0;
            for (var i = 0; i < mask.Length; i++)
            {
                if (mask[i] == 0) continue;
                AssertClose(rows[i], hidden[i], tolerance);
                compared++;
            }
            Assert.Equal(mask.Sum(), compared);
            AssertClose(c.GetProperty("pooler_output"), output.PoolerOutput!.squeeze(0).to_type(ScalarType.Float64), tolerance);
            AssertClose(c.GetProperty("logits"), logits.squeeze(0).to_type(ScalarType.Float64), tolerance);
        }
    }

    [Fact]
    public void TinyBert_PaddedBatch_GivesTheSameLogitsAsEachExampleAlone()
    {
        // Padding must be invisible: one batch of the three golden inputs padded to 16 equals them one by one.
        var directory = Fixtures.PathOf("tiny-bert");
        using var model = BertCheckpoint.LoadForSequenceClassification(directory, out _, new CheckpointLoadOptions { DType = ScalarType.Float64 });
        using var golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "golden.json")));
        var cases = golden.RootElement.GetProperty("cases").EnumerateArray().ToList();
        long[] Padded(JsonElement c, string name) => [.. c.GetProperty(name).EnumerateArray().Select(e => e.GetInt64()).Concat(Enumerable.Repeat(0L, 16)).Take(16)];
        using var scope = NewDisposeScope();
        var ids = stack(cases.Select(c => tensor(Padded(c, "input_ids"))).ToArray());          // [3, 16]
        var types = stack(cases.Select(c => tensor(Padded(c, "token_type_ids"))).ToArray());   // [3, 16]
        var masks = stack(cases.Select(c => tensor(Padded(c, "attention_mask"))).ToArray());   // [3, 16]
        var logits = model.forward(ids, types, masks);                                          // [3, L]
        for (var b = 0; b < cases.Count; b++) AssertClose(cases[b].GetProperty("logits"), logits[b], 1e-10);
    }

    private static void AssertClose(JsonElement expected, Tensor actual, double tolerance)
    {
        var values = expected.EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var got = actual.data<double>().ToArray();
        Assert.Equal(values.Length, got.Length);
        var worst = values.Zip(got, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= tolerance, $"max |difference| {worst:E3} exceeds {tolerance:E0}");
    }
}
