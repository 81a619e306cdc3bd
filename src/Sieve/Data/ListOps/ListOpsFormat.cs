// The two file layouts ListOps data comes in: LRA's generator writes `Source\tTarget` with a header; the original
// ListOps release (Nangia and Bowman 2018, nyu-mll) writes `Target\tSource` without one.
namespace Sieve.Data.ListOps;

/// <summary>The column order of a ListOps file.</summary>
public enum ListOpsFormat
{
    /// <summary>Long Range Arena: header <c>Source\tTarget</c>, expression first.</summary>
    Lra,

    /// <summary>The original ListOps files: no header, <c>Target\tSource</c>.</summary>
    Original,
}
