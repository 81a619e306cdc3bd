// How masked-LM inputs are corrupted: BERT §3.1 / HF DataCollatorForLanguageModeling — choose 15% of the maskable
// tokens; of those, 80% become [MASK], 10% a random token, 10% stay as they are.
namespace Sieve.Pretraining;

/// <summary>Immutable masking options with BERT's defaults; every value is checked when it is set.</summary>
public sealed record MlmMaskingOptions
{
    /// <summary>BERT's recipe: 15% chosen, 80/10/10.</summary>
    public static MlmMaskingOptions Default { get; } = new();

    /// <summary>
    /// The chance that a maskable token is chosen for prediction (HF mlm_probability, default 0.15). Each token is
    /// chosen independently, as in HF, so a batch holds about (not exactly) this share of chosen tokens.
    /// </summary>
    public double Probability { get; init => field = Share(value, nameof(Probability), exclusiveZero: true); } = 0.15;

    /// <summary>The share of chosen tokens replaced by [MASK] (default 0.8).</summary>
    public double MaskShare { get; init => field = Share(value, nameof(MaskShare), exclusiveZero: false); } = 0.8;

    /// <summary>
    /// The share of chosen tokens replaced by a uniformly random id of the vocabulary, special tokens included as in HF
    /// (default 0.1). The rest, 1 − <see cref="MaskShare"/> − this, keep their token. The two shares must not exceed 1 together.
    /// </summary>
    public double RandomShare { get; init => field = Share(value, nameof(RandomShare), exclusiveZero: false); } = 0.1;

    /// <summary>The share of chosen tokens left unchanged.</summary>
    public double KeepShare => Math.Max(0, 1 - MaskShare - RandomShare);

    /// <summary>Throws when <see cref="MaskShare"/> + <see cref="RandomShare"/> exceeds 1 (each is checked on its own when set).</summary>
    public void Validate()
    {
        if (MaskShare + RandomShare > 1 + 1e-12)
            throw new ArgumentException($"the [MASK] share {MaskShare} and the random-token share {RandomShare} add up to more than 1; BERT uses 0.8 and 0.1.");
    }

    private static double Share(double value, string name, bool exclusiveZero) =>
        double.IsFinite(value) && value <= 1 && (exclusiveZero ? value > 0 : value >= 0)
            ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be in {(exclusiveZero ? "(0" : "[0")}, 1], got {value}; BERT uses 0.15 chosen, 0.8 [MASK], 0.1 random.");
}
