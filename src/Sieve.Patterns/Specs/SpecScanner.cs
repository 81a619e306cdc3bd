// The tokens of every spec (patterns, variants, learnable patterns) and the one reader of an atom's argument list
// `name(arg, key=value, …)`, so that each form of the grammar reads and reports arguments the same way.
using System.Globalization;

namespace Sieve.Patterns;

internal enum SpecTokenKind
{
    Name,
    Integer,
    Decimal,
    Symbol,
    End,
}

internal readonly record struct SpecToken(SpecTokenKind Kind, string Text, int Column)
{
    public bool Is(char symbol) => Kind == SpecTokenKind.Symbol && Text[0] == symbol;

    public string Describe => Kind == SpecTokenKind.End ? "the end of the spec" : $"'{Text}'";
}

/// <summary>
/// A spec's tokens and a position in them. Numbers with a fraction (<c>alpha=1.5</c>) are one token so that a variant's
/// argument reads whole and a pattern's integer argument can say "got '1.5'"; an argument value may be a name joined by
/// '+' (<c>level=task+layer</c>), which the argument list never otherwise takes.
/// </summary>
internal sealed class SpecScanner
{
    private readonly List<SpecToken> _tokens;

    public SpecScanner(string spec)
    {
        Spec = spec;
        _tokens = Tokenize(spec);
    }

    public string Spec { get; }

    public int Position { get; set; }

    public SpecToken Current => _tokens[Position];

    /// <summary>Whether the spec has no token at all (only whitespace).</summary>
    public bool IsEmpty => _tokens.Count == 1;

    public SpecToken Peek(int ahead) => _tokens[Math.Min(Position + ahead, _tokens.Count - 1)];

    public void Expect(char symbol)
    {
        if (!Current.Is(symbol))
            throw Error(Current.Column, $"expected '{symbol}' at column {Current.Column} but found {Current.Describe}");
        Position++;
    }

    /// <summary>
    /// The arguments after the atom <paramref name="name"/> (just read): none when no '(' follows, else the list up to
    /// the ')'; <c>End</c> is the column a missing argument points at.
    /// </summary>
    public (List<SpecArgument> Arguments, int End) ArgumentList(SpecToken name)
    {
        var arguments = new List<SpecArgument>();
        if (!Current.Is('(')) return (arguments, name.Column + name.Text.Length);
        Position++;
        if (!Current.Is(')'))
        {
            arguments.Add(Argument());
            while (Current.Is(','))
            {
                Position++;
                arguments.Add(Argument());
            }
        }
        int end = Current.Column;
        Expect(')');
        return (arguments, end);
    }

    public long Integer()
    {
        bool negative = Current.Is('-');
        if (negative) Position++;
        var digits = Current;
        if (digits.Kind != SpecTokenKind.Integer)
            throw Error(digits.Column, $"expected an integer at column {digits.Column} but found {digits.Describe}");
        Position++;
        if (!long.TryParse(digits.Text, NumberStyles.None, CultureInfo.InvariantCulture, out long value))
            throw Error(digits.Column, $"integer {digits.Text} at column {digits.Column} is too large");
        return negative ? -value : value;
    }

    public SpecException Error(int column, string problem) => new(Spec, column, problem);

    private SpecArgument Argument()
    {
        int column = Current.Column;
        string? name = null;
        if (Current.Kind == SpecTokenKind.Name && Peek(1).Is('='))
        {
            name = Current.Text;
            Position += 2;
        }
        return new SpecArgument(name, Value(), column);
    }

    private SpecValue Value()
    {
        var start = Current;
        if (start.Kind == SpecTokenKind.Name)
        {
            Position++;
            string text = start.Text;
            while (Current.Is('+') && Peek(1).Kind == SpecTokenKind.Name)
            {
                text += "+" + Peek(1).Text;
                Position += 2;
            }
            return new SpecValue(SpecValueKind.Identifier, 0, [], text, start.Column);
        }
        if (start.Is('['))
        {
            Position++;
            var items = new List<long>();
            if (!Current.Is(']'))
            {
                items.Add(Integer());
                while (Current.Is(','))
                {
                    Position++;
                    items.Add(Integer());
                }
            }
            Expect(']');
            return new SpecValue(SpecValueKind.IntegerList, 0, [.. items], $"[{string.Join(',', items)}]", start.Column);
        }
        bool negative = start.Is('-');
        if (Peek(negative ? 1 : 0) is { Kind: SpecTokenKind.Decimal } fraction)
        {
            Position += negative ? 2 : 1;
            string text = (negative ? "-" : "") + fraction.Text;
            double number = double.Parse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            return new SpecValue(SpecValueKind.Decimal, 0, [], text, start.Column, number);
        }
        if (start.Kind == SpecTokenKind.Integer || negative)
        {
            long value = Integer();
            return new SpecValue(SpecValueKind.Integer, value, [], value.ToString(CultureInfo.InvariantCulture), start.Column, value);
        }
        throw Error(start.Column, $"expected an argument (a number, a list like [0,1] or a name) at column {start.Column} but found {start.Describe}");
    }

    private List<SpecToken> Tokenize(string spec)
    {
        var tokens = new List<SpecToken>();
        int i = 0;
        while (i < spec.Length)
        {
            char c = spec[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            int start = i;
            if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < spec.Length && (char.IsAsciiLetterOrDigit(spec[i]) || spec[i] == '_')) i++;
                tokens.Add(new SpecToken(SpecTokenKind.Name, spec[start..i], start + 1));
            }
            else if (char.IsAsciiDigit(c))
            {
                while (i < spec.Length && char.IsAsciiDigit(spec[i])) i++;
                bool fraction = i + 1 < spec.Length && spec[i] == '.' && char.IsAsciiDigit(spec[i + 1]);
                if (fraction) i++;
                while (fraction && i < spec.Length && char.IsAsciiDigit(spec[i])) i++;
                tokens.Add(new SpecToken(fraction ? SpecTokenKind.Decimal : SpecTokenKind.Integer, spec[start..i], start + 1));
            }
            else if ("()[],=+-&:;*".Contains(c, StringComparison.Ordinal))
            {
                tokens.Add(new SpecToken(SpecTokenKind.Symbol, c.ToString(), start + 1));
                i++;
            }
            else
            {
                throw Error(start + 1, $"unexpected character '{c}' at column {start + 1}; a spec uses names, numbers and ( ) [ ] , = + - & : ; *");
            }
        }
        tokens.Add(new SpecToken(SpecTokenKind.End, "", spec.Length + 1));
        return tokens;
    }
}
