// What a schedule pattern switches on: the layer or the head of the attention map (METHODS.md §2.2 layer placement).
namespace Sieve.Patterns;

/// <summary>The coordinate a <see cref="SchedulePattern"/> selects its entry by; spec names <c>layers</c> and <c>heads</c>.</summary>
public enum ScheduleAxis
{
    /// <summary>Select by <see cref="PatternContext.Layer"/>: <c>layers(0-5: full; 6-11: local(1))</c>.</summary>
    Layers,

    /// <summary>Select by <see cref="PatternContext.Head"/>: <c>heads(0-3: local(2); *: global(2))</c>.</summary>
    Heads,
}
