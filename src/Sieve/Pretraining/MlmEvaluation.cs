// What an evaluation of a masked LM on held-out lines gives: the mean cross-entropy and the accuracy over the chosen
// (masked) positions, and ρ measured on the layouts the model ran (AAA Eq. 9 on real lengths).
namespace Sieve.Pretraining;

/// <summary>The result of <see cref="MlmEvaluator.Evaluate"/>.</summary>
/// <param name="Loss">Mean cross-entropy over every chosen token of the split (NaN when none was chosen).</param>
/// <param name="Accuracy">Share of chosen tokens whose arg-max prediction is the original token (NaN when none was chosen).</param>
/// <param name="MaskedTokens">Tokens chosen for prediction over the split.</param>
/// <param name="Sparsity">AAA Eq. 9 over the split: mean over lines, layers and heads of 1 − |B|/N_i².</param>
/// <param name="Lines">The number of lines evaluated.</param>
public sealed record MlmEvaluation(double Loss, double Accuracy, long MaskedTokens, double Sparsity, int Lines)
{
    /// <summary>Loss, accuracy and ρ as flat name → value pairs, for logs and the trainer (its best-model metric is "loss").</summary>
    public IReadOnlyDictionary<string, double> ToDictionary() => new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["loss"] = Loss,
        ["accuracy"] = Accuracy,
        ["sparsity"] = Sparsity,
        ["masked_tokens"] = MaskedTokens,
    };
}
