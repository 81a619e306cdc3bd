// The mask a model really attends with on one input, at one layer and head (DESIGN.md §1: the pictures work on what was
// learned): the layout of an evaluation-mode forward — a fixed pattern, a hardened learnable one (per input for AAA),
// or HF's dense attention — for `sieve patterns show --model`.
using Sieve.Learnable;
using Sieve.Patterns;
using Sieve.Tokenization;
using static TorchSharp.torch;

namespace Sieve.Modeling;

/// <summary>
/// One (layer, head) map of a model on one input: its <paramref name="Layout"/> over the input's tokens, the
/// <paramref name="Pattern"/> that head ran (as a spec), whether the model attends densely (<paramref name="Dense"/>:
/// no pattern, the layout is then full), and for aaa(...) the tokens that layer selected as rows and columns.
/// </summary>
public sealed record InputMask(CsrLayout Layout, string Pattern, bool Dense, SelectedAxes? Selected)
{
    /// <summary>
    /// Runs <paramref name="model"/> in evaluation mode (no gradients) on <paramref name="input"/> alone, with the
    /// pattern inputs its tokens give (word map, special tokens, segments, static embeddings), and returns the map of
    /// <paramref name="layer"/> and <paramref name="head"/>. A layer that runs an attention variant has no mask.
    /// </summary>
    public static InputMask Of(BertModel model, TokenizedInput input, int layer, int head)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        int layers = model.Config.NumHiddenLayers, heads = model.Config.NumAttentionHeads;
        if (layer < 0 || layer >= layers)
            throw new ArgumentOutOfRangeException(nameof(layer), $"layer {layer} does not exist: this model has {layers} layer(s), 0..{layers - 1}.");
        if (head < 0 || head >= heads)
            throw new ArgumentOutOfRangeException(nameof(head), $"head {head} does not exist: this model has {heads} head(s) per layer, 0..{heads - 1}.");
        if (model.Encoder.Layers[layer].Attention.Self.Variant is { } variant)
            throw new InvalidOperationException($"layer {layer} attends with {variant.Options}, an attention variant that has no mask; choose a layer that runs a pattern.");

        model.eval();
        var context = PatternInputs.WithStaticEmbeddings(PatternInputs.For(input, example: 0), input, model);
        BatchLayouts? layouts;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            int n = input.RealLength;
            var device = model.Embeddings.WordEmbeddings.weight!.device;
            var ids = tensor(input.InputIds.Take(n).Select(i => (long)i).ToArray(), device: device).unsqueeze(0);        // [1, N]
            var types = tensor(input.TokenTypeIds.Take(n).Select(i => (long)i).ToArray(), device: device).unsqueeze(0);  // [1, N]
            layouts = model.forward(ids, types, attentionMask: null, patternInputs: [context]).Layouts;
        }
        if (layouts is null)
            return new InputMask(CsrLayout.Build(new FullPattern(), new PatternContext(input.RealLength)), "full", Dense: true, Selected: null);
        var selected = model.Learned is AxisAttentionPattern ? SelectedAxes.Of(layouts, layer) : null;
        return new InputMask(layouts[layer][0, head], HeadPattern(layouts.PatternAt(layer), heads, head), Dense: false, selected);
    }

    // A layer whose heads differ lists one spec per head, joined by " | ".
    private static string HeadPattern(string specs, int heads, int head)
    {
        var perHead = specs.Split(" | ");
        return perHead.Length == heads ? perHead[head] : specs;
    }
}
