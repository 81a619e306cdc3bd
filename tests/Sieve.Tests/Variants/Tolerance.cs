// An absolute-tolerance comparer for Assert.Equal on sequences of doubles.
namespace Sieve.Tests.Variants;

internal sealed class Tolerance(double absolute) : IEqualityComparer<double>
{
    public bool Equals(double x, double y) => Math.Abs(x - y) <= absolute;

    public int GetHashCode(double obj) => 0;
}
