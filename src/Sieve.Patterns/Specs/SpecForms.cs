// The forms an attention spec can take, so that each command says which it runs and refuses the others with a reason.
namespace Sieve.Patterns;

/// <summary>The forms of the one spec grammar a spec uses or a command accepts.</summary>
[Flags]
public enum SpecForms
{
    /// <summary>A fixed pattern (algebra and schedules included): a layout per batch on a kernel.</summary>
    Pattern = 1,

    /// <summary>An attention variant (Linformer, entmax, …): a layer with its own weights instead of a pattern.</summary>
    Variant = 2,

    /// <summary>A learnable pattern: gates trained during fine-tuning, hardened into a pattern afterwards.</summary>
    Learnable = 4,
}
