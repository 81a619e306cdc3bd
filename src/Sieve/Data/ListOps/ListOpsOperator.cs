// The ListOps operators LRA uses (METHODS.md §15.1): MIN, MAX, MED (median, truncated to an integer) and SM (sum mod
// 10). FIRST and LAST exist in the LRA generator but are switched off there, so they are left out here too.
namespace Sieve.Data.ListOps;

/// <summary>An operator of a ListOps expression, written <c>[MIN</c>, <c>[MAX</c>, <c>[MED</c>, <c>[SM</c>.</summary>
public enum ListOpsOperator
{
    /// <summary>The smallest argument.</summary>
    Min,

    /// <summary>The largest argument.</summary>
    Max,

    /// <summary>The median, truncated to an integer (LRA: <c>int(np.median(values))</c>).</summary>
    Med,

    /// <summary>The sum modulo 10.</summary>
    Sm,
}
