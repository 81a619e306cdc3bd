// The spec grammar of attention variants (the issue's forms): `linformer(k=256, share=kv)`, `entmax(alpha=learned)`,
// `sparsemax`. Parses to the variant's options record, whose ToString() prints the canonical spec back.
using System.Globalization;
using System.Text;
using Sieve.Patterns;

namespace Sieve.Variants;

/// <summary>
/// Parses variant specs.
/// <code>
/// spec  := name [ '(' [arg (',' arg)*] ')' ]
/// arg   := [name '='] value            positional arguments follow the order listed in the error messages
/// value := number | name               numbers may have a fraction (alpha=1.5); names are lower snake_case choices
/// </code>
/// Whitespace may appear between tokens. Errors name the column and what was expected.
/// </summary>
public static class VariantSpec
{
    private sealed record Form(string[] Parameters, Func<Arguments, VariantOptions> Build);

    // A table rather than a switch so that an unknown name can be answered with every known one.
    private static readonly Dictionary<string, Form> _forms = new(StringComparer.Ordinal)
    {
        ["entmax"] = new(["alpha"], a => new EntmaxOptions { Alpha = a.IsName("alpha", "learned") ? null : a.Number("alpha", 1.5) }),
        ["sparsemax"] = new([], _ => new EntmaxOptions { Alpha = 2.0 }),
        ["synthesizer"] = new(["kind", "mix"], a => new SynthesizerOptions { Kind = a.Choice("kind", SynthesizerKind.Dense), Mix = a.Choice("mix", SynthesizerMix.None) }),
        ["adaptive_span"] = new(["max", "ramp"], a => new AdaptiveSpanOptions { MaxSpan = a.Int("max", 1024), Ramp = a.Int("ramp", 32) }),
        ["lsh"] = new(["buckets", "rounds", "chunk", "seed"], a => new LshOptions { Buckets = a.Int("buckets", 32), Rounds = a.Int("rounds", 4), Chunk = a.Int("chunk", 64), Seed = a.Int("seed", 0) }),
        ["sparse_transformer"] = new(["kind", "l", "c"], a =>
        {
            var options = new SparseTransformerOptions { Kind = a.Choice<SparseTransformerKind>("kind"), L = a.Int("l"), C = a.Int("c", 0) };
            options.Validate();
            return options;
        }),
        ["linformer"] = new(["k", "share"], a => new LinformerOptions { K = a.Int("k", 256), Share = a.Choice("share", LinformerSharing.None) }),
    };

    /// <summary>Every variant name the grammar accepts.</summary>
    public static IReadOnlyList<string> Names => [.. _forms.Keys];

    /// <summary>Parses <paramref name="spec"/>; throws <see cref="SpecException"/> naming the column of a problem.</summary>
    public static VariantOptions Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var tokens = Tokenize(spec);
        int position = 0;
        Token Current() => tokens[position];
        var name = Current();
        if (name.Kind != TokenKind.Name)
            throw new SpecException(spec, name.Column, name.Kind == TokenKind.End ? "the variant spec is empty; known variants: " + string.Join(", ", Names) : $"expected a variant name at column {name.Column} but found '{name.Text}'");
        if (!_forms.TryGetValue(name.Text, out var form))
            throw new SpecException(spec, name.Column, $"unknown attention variant '{name.Text}' at column {name.Column}; known variants: {string.Join(", ", Names)}");
        position++;
        var arguments = new List<Argument>();
        int endColumn = name.Column + name.Text.Length;
        if (Current().Is('('))
        {
            position++;
            while (!Current().Is(')'))
            {
                if (arguments.Count > 0)
                {
                    if (!Current().Is(','))
                        throw new SpecException(spec, Current().Column, $"expected ',' or ')' at column {Current().Column} but found {Current().Describe}");
                    position++;
                }
                int column = Current().Column;
                string? argumentName = null;
                if (Current().Kind == TokenKind.Name && tokens[position + 1].Is('='))
                {
                    argumentName = Current().Text;
                    position += 2;
                }
                var value = Current();
                if (value.Kind is not (TokenKind.Name or TokenKind.Number))
                    throw new SpecException(spec, value.Column, $"expected a value (a number or a name) at column {value.Column} but found {value.Describe}");
                position++;
                arguments.Add(new Argument(argumentName, value, column));
            }
            endColumn = Current().Column;
            position++;
        }
        if (Current().Kind != TokenKind.End)
            throw new SpecException(spec, Current().Column, $"unexpected {Current().Describe} at column {Current().Column} after a complete variant spec");
        var reader = new Arguments(spec, name.Text, endColumn, form.Parameters, arguments);
        try
        {
            return form.Build(reader);
        }
        catch (ArgumentException e) when (e is not VariantArgumentException)
        {
            string message = e.ParamName is { } p ? e.Message.Replace($" (Parameter '{p}')", "", StringComparison.Ordinal) : e.Message;
            message = message.Split('\n')[0];
            throw new SpecException(spec, name.Column, $"{message} (variant '{name.Text}' at column {name.Column})");
        }
        catch (VariantArgumentException e)
        {
            throw new SpecException(spec, e.Column, e.Message);
        }
    }

    /// <summary>A choice's spec spelling: <c>FixedRandom</c> → <c>fixed_random</c>.</summary>
    internal static string SnakeCase<T>(T value) where T : struct, Enum
    {
        var text = new StringBuilder();
        foreach (char c in value.ToString())
        {
            if (char.IsUpper(c) && text.Length > 0) text.Append('_');
            text.Append(char.ToLowerInvariant(c));
        }
        return text.ToString();
    }

    private enum TokenKind
    {
        Name,
        Number,
        Symbol,
        End,
    }

    private readonly record struct Token(TokenKind Kind, string Text, int Column)
    {
        public bool Is(char symbol) => Kind == TokenKind.Symbol && Text[0] == symbol;

        public string Describe => Kind == TokenKind.End ? "the end of the spec" : $"'{Text}'";
    }

    private sealed record Argument(string? Name, Token Value, int Column);

    private sealed class VariantArgumentException(int column, string message) : ArgumentException(message)
    {
        public int Column { get; } = column;
    }

    /// <summary>The arguments of one spec, read by name or position; unknown, duplicate and surplus ones are rejected up front.</summary>
    private sealed class Arguments
    {
        private readonly Dictionary<string, Argument> _byName = new(StringComparer.Ordinal);
        private readonly string _variant;
        private readonly string[] _parameters;
        private readonly int _endColumn;

        public Arguments(string spec, string variant, int endColumn, string[] parameters, List<Argument> arguments)
        {
            _variant = variant;
            _parameters = parameters;
            string takes = parameters.Length == 0 ? "it takes no arguments" : $"it takes {string.Join(", ", parameters)}";
            int positional = 0;
            foreach (var argument in arguments)
            {
                string name;
                if (argument.Name is { } given)
                {
                    if (!parameters.Contains(given))
                        throw new SpecException(spec, argument.Column, $"unknown argument '{given}' at column {argument.Column} for {variant}; {takes}");
                    name = given;
                }
                else
                {
                    if (positional >= parameters.Length)
                        throw new SpecException(spec, argument.Column, $"{variant} got too many arguments: the one at column {argument.Column} is surplus; {takes}");
                    name = parameters[positional++];
                }
                if (!_byName.TryAdd(name, argument))
                    throw new SpecException(spec, argument.Column, $"argument {name} of {variant} is given twice (again at column {argument.Column})");
            }
            _endColumn = endColumn;
        }

        private string Signature => $"{_variant}({string.Join(", ", _parameters)})";

        public bool Has(string name) => _byName.ContainsKey(name);

        public bool IsName(string name, string value) =>
            _byName.TryGetValue(name, out var a) && a.Value.Kind == TokenKind.Name && a.Value.Text == value;

        public int Int(string name, int fallback)
        {
            if (!_byName.TryGetValue(name, out var a)) return fallback;
            if (a.Value.Kind != TokenKind.Number || !int.TryParse(a.Value.Text, NumberStyles.None, CultureInfo.InvariantCulture, out int value))
                throw new VariantArgumentException(a.Value.Column, $"argument {name} of {Signature} must be a whole number at column {a.Value.Column}, got '{a.Value.Text}'");
            return value;
        }

        public int Int(string name) =>
            Has(name) ? Int(name, 0) : throw new VariantArgumentException(_endColumn, $"{Signature} is missing argument {name}");

        public double Number(string name, double fallback)
        {
            if (!_byName.TryGetValue(name, out var a)) return fallback;
            if (a.Value.Kind != TokenKind.Number || !double.TryParse(a.Value.Text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value))
                throw new VariantArgumentException(a.Value.Column, $"argument {name} of {Signature} must be a number at column {a.Value.Column}, got '{a.Value.Text}'");
            return value;
        }

        public T Choice<T>(string name, T fallback) where T : struct, Enum
        {
            if (!_byName.TryGetValue(name, out var a)) return fallback;
            foreach (var member in Enum.GetValues<T>())
                if (a.Value.Kind == TokenKind.Name && SnakeCase(member) == a.Value.Text) return member;
            string choices = string.Join(", ", Enum.GetValues<T>().Select(SnakeCase));
            throw new VariantArgumentException(a.Value.Column, $"argument {name} of {Signature} must be one of {choices} at column {a.Value.Column}, got '{a.Value.Text}'");
        }

        public T Choice<T>(string name) where T : struct, Enum =>
            Has(name) ? Choice(name, default(T)) : throw new VariantArgumentException(_endColumn, $"{Signature} is missing argument {name}");
    }

    private static List<Token> Tokenize(string spec)
    {
        var tokens = new List<Token>();
        int i = 0;
        while (i < spec.Length)
        {
            char c = spec[i];
            int start = i;
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < spec.Length && (char.IsAsciiLetterOrDigit(spec[i]) || spec[i] == '_')) i++;
                tokens.Add(new Token(TokenKind.Name, spec[start..i], start + 1));
            }
            else if (char.IsAsciiDigit(c))
            {
                while (i < spec.Length && (char.IsAsciiDigit(spec[i]) || spec[i] == '.')) i++;
                tokens.Add(new Token(TokenKind.Number, spec[start..i], start + 1));
            }
            else if ("(),=".Contains(c, StringComparison.Ordinal))
            {
                tokens.Add(new Token(TokenKind.Symbol, c.ToString(), start + 1));
                i++;
            }
            else
            {
                throw new SpecException(spec, start + 1, $"unexpected character '{c}' at column {start + 1}; a variant spec uses names, numbers and ( ) , =");
            }
        }
        tokens.Add(new Token(TokenKind.End, "", spec.Length + 1));
        return tokens;
    }
}
