// FsCheck properties of the pattern algebra on CSR layouts (AAA Eq. 8 and its AND/AND-NOT companions): commutative,
// associative, idempotent, distributive, difference = a AND NOT b on the dense views, full the identity of AND; and
// the print/parse round trip of random expression trees.
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Sieve.Patterns.Tests;

public class AlgebraPropertyTests
{
    // Atoms of every family, small enough that N ≤ 14 exercises their edges; random ones included with fixed seeds.
    private static readonly Gen<Pattern> _atomGen = Gen.OneOf(
        Gen.Choose(0, 4).Select(k => (Pattern)new LocalPattern(k)),
        Gen.Choose(0, 3).Select(g => (Pattern)new GlobalPattern(g)),
        Gen.Choose(1, 5).Select(o => (Pattern)new DiagonalPattern([0, o])),
        Gen.Choose(1, 3).Select(d => (Pattern)new DilatedPattern(1, d)),
        Gen.Choose(1, 4).Select(l => (Pattern)new StridedPattern(l, causal: l % 2 == 0)),
        Gen.Choose(1, 4).Select(c => (Pattern)new FixedPattern(4, c, causal: c % 2 == 1)),
        Gen.Choose(0, 9).Select(s => (Pattern)new RandomPattern(1, (ulong)s)),
        Gen.Choose(0, 2).Select(r => (Pattern)new BigBirdPattern(1, 1, r, 3)),
        Gen.Constant((Pattern)new FullPattern()),
        Gen.Constant((Pattern)new LogSparsePattern(false)),
        Gen.Constant((Pattern)new StarPattern()));

    private static Gen<Pattern> Tree(int depth) => depth == 0
        ? _atomGen
        : Gen.OneOf(
            _atomGen,
            Tree(depth - 1).Two().SelectMany(p => Gen.Choose(0, 2), (p, op) => op switch
            {
                0 => p.Item1 + p.Item2,
                1 => p.Item1 & p.Item2,
                _ => p.Item1 - p.Item2,
            }));

    private static Arbitrary<(Pattern A, Pattern B, Pattern C, int N)> Triples() =>
        Gen.Zip(Tree(1).Three(), Gen.Choose(0, 14)).Select(t => (t.Item1.Item1, t.Item1.Item2, t.Item1.Item3, t.Item2))
            .ToArbitrary();

    private static bool[,] D(Pattern p, int n) => Dense.Of(p, new PatternContext(n) { PaddedLength = n + 1, Example = 2, Layer = 1 });

    private static bool Same(Pattern p, Pattern q, int n) => Dense.SameAs(D(p, n), D(q, n));

    [Property(MaxTest = 150)]
    public Property Union_and_intersection_are_commutative() => Prop.ForAll(Triples(), t =>
        Same(t.A + t.B, t.B + t.A, t.N) && Same(t.A & t.B, t.B & t.A, t.N));

    [Property(MaxTest = 150)]
    public Property Union_and_intersection_are_associative() => Prop.ForAll(Triples(), t =>
        Same((t.A + t.B) + t.C, t.A + (t.B + t.C), t.N) && Same((t.A & t.B) & t.C, t.A & (t.B & t.C), t.N));

    [Property(MaxTest = 150)]
    public Property Union_and_intersection_are_idempotent() => Prop.ForAll(Triples(), t =>
        Same(t.A + t.A, t.A, t.N) && Same(t.A & t.A, t.A, t.N));

    [Property(MaxTest = 150)]
    public Property Each_distributes_over_the_other() => Prop.ForAll(Triples(), t =>
        Same(t.A & (t.B + t.C), (t.A & t.B) + (t.A & t.C), t.N) && Same(t.A + (t.B & t.C), (t.A + t.B) & (t.A + t.C), t.N));

    [Property(MaxTest = 150)]
    public Property Difference_is_and_not_on_the_dense_views() => Prop.ForAll(Triples(), t =>
    {
        bool[,] a = D(t.A, t.N), b = D(t.B, t.N), diff = D(t.A - t.B, t.N);
        for (int i = 0; i < a.GetLength(0); i++)
            for (int j = 0; j < a.GetLength(1); j++)
                if (diff[i, j] != (a[i, j] && !b[i, j])) return false;
        return true;
    });

    [Property(MaxTest = 150)]
    public Property Full_is_the_identity_of_intersection_and_absorbs_union() => Prop.ForAll(Triples(), t =>
        Same(new FullPattern() & t.A, t.A, t.N) && Same(t.A & new FullPattern(), t.A, t.N)
        && Same(t.A + new FullPattern(), new FullPattern(), t.N));

    [Property(MaxTest = 200)]
    public Property Expression_trees_round_trip_through_the_spec() => Prop.ForAll(Tree(3).ToArbitrary(), p =>
    {
        var parsed = PatternSpec.Parse(p.ToString());
        return parsed.Equals(p) && Same(parsed, p, 11);
    });
}
