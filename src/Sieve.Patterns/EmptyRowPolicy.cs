// What a layout does with a real row that its pattern leaves without any key (softmax over nothing is undefined).
namespace Sieve.Patterns;

/// <summary>The treatment of a real query row with no allowed key; the layout reports such rows either way.</summary>
public enum EmptyRowPolicy
{
    /// <summary>The default: give the row its diagonal key (i attends to i), as AAA §4.2 and METHODS.md §1.1 advise.</summary>
    AddDiagonal,

    /// <summary>Leave the row empty; kernels then output zeros for it.</summary>
    Keep,
}
