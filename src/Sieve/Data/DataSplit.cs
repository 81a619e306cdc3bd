// The splits of a task's data. MNLI has two dev and two test sets (matched and mismatched genres, METHODS.md §16).
namespace Sieve.Data;

/// <summary>Which part of a task's data a file holds.</summary>
public enum DataSplit
{
    /// <summary>Training data.</summary>
    Train,

    /// <summary>Development (validation) data; MNLI's matched dev set.</summary>
    Dev,

    /// <summary>MNLI's mismatched dev set.</summary>
    DevMismatched,

    /// <summary>Test data; GLUE test files carry no labels. MNLI's matched test set.</summary>
    Test,

    /// <summary>MNLI's mismatched test set.</summary>
    TestMismatched,
}
