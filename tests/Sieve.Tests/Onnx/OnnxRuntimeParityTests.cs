// Parity of Sieve's BERT with ONNX Runtime running the original ONNX export of each built-in pre-trained model: the
// last hidden state (real tokens) and the pooler output agree to 1e-5 in fp32, for single texts, a sentence pair and
// a padded batch of different lengths; the sentence embedding is checked the same way.
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Sieve.Checkpoints;
using Sieve.Tokenization;
using static TorchSharp.torch;

namespace Sieve.Tests.Onnx;

public sealed class OnnxRuntimeParityTests(BuiltInModelFixture models) : IClassFixture<BuiltInModelFixture>
{
    private const double Tolerance = 1e-5;

    public static TheoryData<string> Names => ["minilm", "arctic-xs"];

    [Theory]
    [MemberData(nameof(Names))]
    public void SingleTexts_MatchOnnxRuntime(string name)
    {
        foreach (var text in new[] { "Sparse attention keeps a few connections.", "The cat sat on the mat." })
            AssertParity(name, [text], null);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void SentencePair_MatchesOnnxRuntime(string name) =>
        AssertParity(name, ["A man is playing a guitar."], ["Someone plays an instrument on stage."]);

    [Theory]
    [MemberData(nameof(Names))]
    public void PaddedBatchOfDifferentLengths_MatchesOnnxRuntime(string name) =>
        AssertParity(name,
            ["Short.", "A somewhat longer sentence with several more word pieces in it.", "Medium length text here."],
            null);

    [Fact]
    public void MiniLm_LoadsEveryWeight_ArcticXs_HasNoPooler()
    {
        using var minilm = BertCheckpoint.LoadModel(models.Folders["minilm"], out var report);
        Assert.Empty(report.NewlyInitialized);
        Assert.Empty(report.Missing);
        Assert.True(models.Imported["minilm"].HasPooler);
        Assert.False(models.Imported["arctic-xs"].HasPooler);
    }

    private void AssertParity(string name, string[] first, string[]? second)
    {
        var folder = models.Folders[name];
        var tokenizer = SieveTokenizer.FromCheckpoint(folder);
        var batch = tokenizer.EncodeBatch(first, second, new EncodeOptions { Padding = PaddingStrategy.Longest });
        int b = batch.Count, n = batch.Length;
        long[] ids = batch.InputIds, types = batch.TokenTypeIds, mask = batch.AttentionMask;   // [B·N] each

        // ONNX Runtime on the original export.
        using var session = new InferenceSession(models.Onnx[name]);
        var dims = new[] { b, n };
        using var results = session.Run(
        [
            NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor<long>(ids, dims)),
            NamedOnnxValue.CreateFromTensor("attention_mask", new DenseTensor<long>(mask, dims)),
            NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>(types, dims)),
        ]);
        var expectedHidden = results.First(r => r.Name == "last_hidden_state").AsTensor<float>().ToArray();   // [B, N, H]
        var expectedPooled = results.FirstOrDefault(r => r.Name != "last_hidden_state")?.AsTensor<float>().ToArray();  // [B, H]

        // Sieve on the imported folder, dense attention.
        using var model = BertCheckpoint.LoadModel(folder, out _);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var output = model.forward(tensor(ids).view(b, n), tensor(types).view(b, n), tensor(mask).view(b, n));
        var hidden = output.LastHiddenState.data<float>().ToArray();
        int h = hidden.Length / (b * n);
        Assert.Equal(expectedHidden.Length, hidden.Length);

        // Padding positions carry no meaning (their rows attend differently in the two); every real token must agree.
        double worst = 0;
        for (int i = 0; i < b; i++)
            for (int t = 0; t < n; t++)
            {
                if (mask[(i * n) + t] == 0) continue;
                for (int d = 0; d < h; d++)
                {
                    var k = (((i * n) + t) * h) + d;
                    worst = Math.Max(worst, Math.Abs(hidden[k] - expectedHidden[k]));
                }
            }
        Assert.True(worst <= Tolerance, $"{name}: last hidden state differs from ONNX Runtime by {worst:g3} (> {Tolerance}).");

        if (expectedPooled is not null)
        {
            var pooled = output.PoolerOutput!.data<float>().ToArray();
            var pooledWorst = pooled.Zip(expectedPooled, (x, y) => Math.Abs(x - y)).Max();
            Assert.True(pooledWorst <= Tolerance, $"{name}: pooler output differs from ONNX Runtime by {pooledWorst:g3}.");
        }
    }
}
