// Sentence embeddings against hand computations: the mean over real tokens only (padding must not count), the [CLS]
// vector, each L2-normalised, and an all-padding row that stays zero instead of becoming NaN.
using Sieve.Modeling;
using static TorchSharp.torch;

namespace Sieve.Tests.Modeling;

public sealed class SentenceEmbeddingTests
{
    // [3, 3, 2]: example 0 has a padding position holding large values, example 1 none, example 2 only padding.
    private static Tensor Hidden() => tensor(new float[]
    {
        1, 2,   3, 4,   100, 100,
        3, 0,   0, 0,   0, 4,
        5, 5,   6, 6,   7, 7,
    }).reshape(3, 3, 2);

    private static Tensor Mask() => tensor(new long[] { 1, 1, 0, 1, 1, 1, 0, 0, 0 }).reshape(3, 3);

    private static float[] Row(Tensor embedding, int row) => embedding[row].data<float>().ToArray();

    [Fact]
    public void MeanPooled_AveragesRealTokensOnly_ThenNormalises()
    {
        using var scope = NewDisposeScope();
        var embedding = SentenceEmbedding.MeanPooled(Hidden(), Mask());
        Assert.Equal([3L, 2L], embedding.shape);
        // Example 0: mean of (1, 2) and (3, 4) is (2, 3), norm √13; the padded (100, 100) is left out.
        Assert.Equal([2 / MathF.Sqrt(13), 3 / MathF.Sqrt(13)], Row(embedding, 0), new FloatTolerance(1e-6f));
        // Example 1: mean (1, 4/3), norm 5/3.
        Assert.Equal([0.6f, 0.8f], Row(embedding, 1), new FloatTolerance(1e-6f));
        // Example 2 has no real token: zeros, not NaN.
        Assert.Equal([0f, 0f], Row(embedding, 2));
    }

    [Fact]
    public void Cls_IsTheFirstPositionNormalised()
    {
        using var scope = NewDisposeScope();
        var embedding = SentenceEmbedding.Cls(Hidden());
        Assert.Equal([1 / MathF.Sqrt(5), 2 / MathF.Sqrt(5)], Row(embedding, 0), new FloatTolerance(1e-6f));
        Assert.Equal([1f, 0f], Row(embedding, 1), new FloatTolerance(1e-6f));
        Assert.Equal([1 / MathF.Sqrt(2), 1 / MathF.Sqrt(2)], Row(embedding, 2), new FloatTolerance(1e-6f));
    }

    [Fact]
    public void MismatchedShapes_AreRefusedWithBoth()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => SentenceEmbedding.MeanPooled(Hidden(), ones(3, 4)));
        Assert.Contains("[3, 3, 2]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[3, 4]", error.Message, StringComparison.Ordinal);
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => MathF.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
