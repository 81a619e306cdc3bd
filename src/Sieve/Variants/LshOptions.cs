// Options of Reformer LSH attention (Kitaev et al. 2020; METHODS.md §12): buckets, hashing rounds, chunk length.
using static TorchSharp.torch;

namespace Sieve.Variants;

/// <summary>Spec: <c>lsh(buckets=32, rounds=4, chunk=64)</c>, optionally <c>seed=</c> for the random rotations.</summary>
public sealed record LshOptions : VariantOptions
{
    private readonly int _buckets = 32;
    private readonly int _rounds = 4;
    private readonly int _chunk = 64;

    /// <summary>b: the number of hash buckets, even (angular LSH takes argmax over [xR; −xR], R with b/2 columns). Default 32.</summary>
    public int Buckets
    {
        get => _buckets;
        init => _buckets = value >= 2 && value % 2 == 0 ? value : throw new ArgumentOutOfRangeException(nameof(Buckets), value, $"lsh needs an even number of buckets >= 2, got {value}");
    }

    /// <summary>The number of independent hashing rounds, combined by their log-normalisers. Default 4 ("acceptable"; 8 is best).</summary>
    public int Rounds
    {
        get => _rounds;
        init => _rounds = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Rounds), value, $"lsh needs rounds >= 1, got {value}");
    }

    /// <summary>m: the chunk length of the sorted sequence; a query sees its chunk and the one before. Default 64 (HF).</summary>
    public int Chunk
    {
        get => _chunk;
        init => _chunk = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Chunk), value, $"lsh needs chunk >= 1, got {value}");
    }

    /// <summary>The seed of the random rotations, drawn once at construction and saved with the weights. Default 0.</summary>
    public long Seed { get; init; }

    public override AttentionVariant Create(int heads, int headSize, int hiddenSize, int maxLength, Device? device = null, ScalarType? dtype = null) =>
        new LshAttention(this, heads, headSize, hiddenSize, maxLength, device, dtype);

    public override string ToString() => Seed == 0
        ? $"lsh(buckets={Buckets},rounds={Rounds},chunk={Chunk})"
        : $"lsh(buckets={Buckets},rounds={Rounds},chunk={Chunk},seed={Seed})";
}
