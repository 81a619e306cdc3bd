// `--pattern` on the commands that run a trained model (evaluate, encode): the one spec grammar, with the forms such a
// model can run. A pattern replaces the pattern layers' pattern; variants must be the ones the model was trained with
// (their weights are in the checkpoint); a learnable pattern cannot run before fine-tuning has trained its gates.
using Sieve.Kernels;
using Sieve.Modeling;
using Sieve.Patterns;
using Sieve.Specs;

namespace Sieve.Cli;

/// <summary>Sets how a loaded model attends for <c>evaluate</c> and <c>encode</c>.</summary>
internal static class TrainedAttention
{
    /// <summary>
    /// Makes <paramref name="bert"/> attend as <paramref name="text"/> says (null: as it was saved, else
    /// <paramref name="fallback"/>) on <paramref name="kernel"/> with <paramref name="seed"/>; returns the spec it runs,
    /// null for HF's dense attention. Refuses a learnable pattern for <paramref name="command"/> with what to do instead.
    /// </summary>
    public static string? Apply(BertModel bert, string? text, string command, AttentionKernelKind kernel, ulong seed, Pattern? fallback = null)
    {
        var asked = text is null ? null : AttentionSpec.Parse(text).Require(command, SpecForms.Pattern | SpecForms.Variant,
            "fine-tune it first (`sieve finetune --pattern`), then run the model it saved without --pattern");
        if (asked is { HasVariants: true })
        {
            // The variants' weights come from the checkpoint: a layer may only be given the variant it was trained with.
            var layers = bert.Encoder.Layers;
            for (int l = 0; l < layers.Count; l++)
            {
                if (asked.VariantFor(l) is not { } wanted || Equals(layers[l].Attention.Self.Variant?.Options, wanted)) continue;
                string has = layers[l].Attention.Self.Variant?.Options.ToString() ?? "no variant";
                throw new ArgumentException($"{command} runs the model's trained weights, and layer {l} has {has}: the variant {wanted} would start untrained, " +
                    "so variants cannot be replaced or added here; fine-tune with it (`sieve finetune --pattern`), or give the model's own spec.");
            }
            bert.ApplyAttention(asked, kernel, seed);
            return asked.ToString();
        }
        var chosen = bert.LearnedSpec is not null ? null : asked?.Pattern ?? bert.Attention.Pattern ?? fallback;
        bert.Attention = new AttentionSettings { Pattern = chosen, Kernel = kernel, Seed = seed };
        return bert.LearnedSpec?.ToString() ?? chosen?.ToString();
    }
}
