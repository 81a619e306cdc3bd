// Reformer LSH attention (Kitaev et al. 2020; METHODS.md §12): angular hashing, attention only within the bucket in
// the own and previous chunk of the sorted order (checked against an independent sort in C#), self only as a last
// resort, several rounds, padding, spec and save/load.
using Sieve.Patterns;
using Sieve.Specs;
using Sieve.Variants;
using static TorchSharp.torch;

namespace Sieve.Tests.Variants;

public sealed class LshTests
{
    private static LshAttention New(int buckets, int rounds, int chunk, int heads = 2, int dim = 4) =>
        new(new LshOptions { Buckets = buckets, Rounds = rounds, Chunk = chunk, Seed = 3 }, heads, dim, heads * dim, 64, dtype: ScalarType.Float64);

    [Fact]
    public void A_chunk_longer_than_the_sequence_is_one_chunk_of_it_and_costs_no_more()
    {
        using var exact = New(4, 2, 10);
        using var huge = New(4, 2, 1_000_000_000);
        var (q, k, v, hidden, padding) = VariantTestData.Inputs(2, 2, 10, 4, 7, seed: 5);
        var expected = exact.Attend(q, k, v, hidden, padding);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var actual = huge.Attend(q, k, v, hidden, padding);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"chunk=1000000000 took {clock.Elapsed}");
        Assert.Equal(0.0, (expected - actual).abs().max().item<double>());
    }

    [Theory]
    [InlineData(1_000_000_000, 1)]
    [InlineData(66, 1)]
    [InlineData(4, LshAttention.MaxRounds + 1)]
    public void Buckets_beyond_the_length_or_too_many_rounds_are_refused_before_allocating(int buckets, int rounds)
    {
        var error = Assert.Throws<ArgumentException>(() => New(buckets, rounds, 4));
        Assert.Contains(buckets > 64 ? "exceeds the maximum length 64" : $"more than {LshAttention.MaxRounds}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hash_IsAngular_ScaleInvariantAndNegationShiftsByHalf()
    {
        using var variant = New(8, 2, 4);
        var (q, _, _, _, _) = VariantTestData.Inputs(1, 2, 10, 4, 10);
        var buckets = variant.Buckets(q);                                           // [R, B, H, N]
        Assert.Equal(buckets.data<long>().ToArray(), variant.Buckets(q * 3.7).data<long>().ToArray());
        Assert.Equal(((buckets + 4) % 8).data<long>().ToArray(), variant.Buckets(-q).data<long>().ToArray());
        Assert.True(buckets.unique().Item1.numel() > 1);
    }

    [Theory]
    [InlineData(24, 4)]
    [InlineData(22, 4)]   // a partial last chunk
    [InlineData(6, 8)]    // a single chunk
    public void OneRound_AttendsOnlyWithinTheBucketInTheOwnAndPreviousChunk(int n, int chunk)
    {
        const int Heads = 2, Dim = 4, Buckets = 4;
        using var variant = New(Buckets, 1, chunk, Heads, Dim);
        var (q, k, _, hidden, padding) = VariantTestData.Inputs(1, Heads, n, Dim, n, seed: 11);
        var weights = variant.Attend(q, k, eye(n, dtype: ScalarType.Float64).expand(1, Heads, n, n), hidden, padding);   // [1, H, N, N]
        var buckets = variant.Buckets(q)[0, 0];                                     // [H, N]
        var keys = q / q.norm(-1, keepdim: true);                                   // shared QK
        var scores = (q.matmul(keys.transpose(-1, -2)) / 2.0)[0];                   // [H, N, N]
        int chunks = (n + chunk - 1) / chunk;
        for (int h = 0; h < Heads; h++)
        {
            var b = buckets[h].data<long>().ToArray();
            // The sorted slot of each token by (bucket, position), computed here independently of the variant.
            var slot = new int[n];
            var sorted = Enumerable.Range(0, n).OrderBy(i => b[i]).ThenBy(i => i).ToArray();
            for (int s = 0; s < n; s++) slot[sorted[s]] = s;
            bool Allowed(int i, int j)
            {
                int ci = slot[i] / chunk, cj = slot[j] / chunk;
                return b[i] == b[j] && (cj == ci || (chunks > 1 && cj == (ci + chunks - 1) % chunks));
            }
            var s2 = scores[h].data<double>().ToArray();
            var w = weights[0, h].contiguous().data<double>().ToArray();
            for (int i = 0; i < n; i++)
            {
                var others = Enumerable.Range(0, n).Where(j => j != i && Allowed(i, j)).ToList();
                for (int j = 0; j < n; j++)
                {
                    double expected = others.Count == 0
                        ? (j == i ? 1 : 0)
                        : others.Contains(j) ? Math.Exp(s2[(i * n) + j]) / others.Sum(o => Math.Exp(s2[(i * n) + o])) : 0;
                    Assert.Equal(expected, w[(i * n) + j], 12);
                    if (!Allowed(i, j)) Assert.Equal(0.0, w[(i * n) + j]);
                }
            }
        }
    }

    [Fact]
    public void SeveralRounds_GiveAProbabilityRowOverTheUnionOfTheRoundsKeys_AndPaddingKeysGetNone()
    {
        using var variant = New(4, 3, 4);
        var (q, k, _, hidden, padding) = VariantTestData.Inputs(2, 2, 16, 4, 11);
        var weights = variant.Attend(q, k, eye(16, dtype: ScalarType.Float64).expand(2, 2, 16, 16), hidden, padding);   // [B, H, N, N]
        Assert.Equal(1.0, weights[.., .., ..11].sum(-1).min().item<double>(), 12);
        Assert.Equal(1.0, weights[.., .., ..11].sum(-1).max().item<double>(), 12);
        Assert.Equal(0.0, weights[1, .., .., 11..].abs().max().item<double>());
        Assert.True(weights.isfinite().all().item<bool>());
        // A key in no round's bucket of the query has weight 0.
        var buckets = variant.Buckets(q);                                           // [R, B, H, N]
        var shared = buckets.unsqueeze(-1).eq(buckets.unsqueeze(-2)).any(dim: 0);      // [B, H, N, N]
        Assert.Equal(0.0, weights.masked_select(shared.logical_not()).abs().max().item<double>());
    }

    [Theory]
    [InlineData("lsh", "lsh(buckets=32,rounds=4,chunk=64)")]
    [InlineData("lsh(buckets=8, rounds=2, chunk=16, seed=5)", "lsh(buckets=8,rounds=2,chunk=16,seed=5)")]
    public void Spec_PrintsItsCanonicalFormBack(string spec, string canonical) =>
        Assert.Equal(canonical, VariantSpec.Parse(spec).ToString());

    [Fact]
    public void Spec_OddBuckets_AreRefused()
    {
        var e = Assert.Throws<SpecException>(() => VariantSpec.Parse("lsh(buckets=7)"));
        Assert.Contains("even number of buckets", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void SaveLoad_RoundTripGivesIdenticalOutputs() =>
        VariantTestData.AssertSaveLoadRoundTrip("lsh(buckets=4,rounds=2,chunk=2)", heads: 2, dim: 4, n: 6, maxLength: 8);
}
