// The spec grammar of attention variants (the issue's forms): `linformer(k=256, share=kv)`, `entmax(alpha=learned)`,
// `sparsemax`. Parses to the variant's options record, whose ToString() prints the canonical spec back.
using Sieve.Patterns;
using Sieve.Variants;

namespace Sieve.Specs;

/// <summary>
/// Parses variant specs: one atom of the pattern grammar (<see cref="SpecAtom"/>), read with the same arguments and
/// errors as a pattern's.
/// <code>
/// spec  := name [ '(' [arg (',' arg)*] ')' ]
/// arg   := [name '='] value            positional arguments follow the order listed in the error messages
/// value := number | name               numbers may have a fraction (alpha=1.5); names are lower snake_case choices
/// </code>
/// Whitespace may appear between tokens. Errors name the column and what was expected.
/// </summary>
public static class VariantSpec
{
    // A table rather than a switch so that an unknown name can be answered with every known one. The order in which an
    // entry asks for its arguments is the order of its positional ones.
    private static readonly Dictionary<string, Func<SpecArguments, VariantOptions>> _forms = new(StringComparer.Ordinal)
    {
        ["entmax"] = a => new EntmaxOptions { Alpha = a.NumberOr("alpha", "learned", 1.5) },
        ["sparsemax"] = _ => new EntmaxOptions { Alpha = 2.0 },
        ["synthesizer"] = a => new SynthesizerOptions { Kind = a.Choice("kind", SynthesizerKind.Dense), Mix = a.Choice("mix", SynthesizerMix.None) },
        ["adaptive_span"] = a => new AdaptiveSpanOptions { MaxSpan = a.Int("max", 1024), Ramp = a.Int("ramp", 32) },
        ["lsh"] = a => new LshOptions { Buckets = a.Int("buckets", 32), Rounds = a.Int("rounds", 4), Chunk = a.Int("chunk", 64), Seed = a.Int("seed", 0) },
        ["sparse_transformer"] = a =>
        {
            // Every argument is read before the record checks any: the probe's placeholder l = 0 would otherwise fail
            // before c is asked for, and a written c would look unknown.
            var (kind, l, c) = (a.Choice<SparseTransformerKind>("kind"), a.Int("l"), a.Int("c", 0));
            var options = new SparseTransformerOptions { Kind = kind, L = l, C = c };
            options.Validate();
            return options;
        },
        ["linformer"] = a => new LinformerOptions { K = a.Int("k", 256), Share = a.Choice("share", LinformerSharing.None) },
    };

    /// <summary>Every variant name the grammar accepts.</summary>
    public static IReadOnlyList<string> Names => [.. _forms.Keys];

    /// <summary>Parses <paramref name="spec"/>; throws <see cref="SpecException"/> naming the column of a problem.</summary>
    public static VariantOptions Parse(string spec)
    {
        var atom = SpecAtom.Start(spec);
        if (atom.IsEmpty)
            throw new SpecException(spec, atom.Column, "the variant spec is empty; known variants: " + string.Join(", ", Names));
        if (atom.Name is not { } name)
            throw new SpecException(spec, atom.Column, $"expected a variant name at column {atom.Column} but found {atom.Next}");
        if (!_forms.TryGetValue(name, out var build))
        {
            string hint = SpecSuggestion.Closest(name, Names) is { } best ? $"did you mean '{best}'?" : $"known variants: {string.Join(", ", Names)}";
            throw new SpecException(spec, atom.Column, $"unknown attention variant '{name}' at column {atom.Column}; {hint}");
        }
        var options = atom.Build("variant", build);
        if (!atom.AtEnd)
            throw new SpecException(spec, atom.NextColumn, $"unexpected {atom.Next} at column {atom.NextColumn} after a complete variant spec");
        return options;
    }
}
