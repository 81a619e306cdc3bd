// The spec grammar (DESIGN.md §1): `local(2)+global(1)`, `(a+b)&c`, `layers(0-5: full; 6-11: star)`. Parses to a
// Pattern whose ToString() prints the canonical spec back; errors name the column and what was expected.
namespace Sieve.Patterns;

/// <summary>
/// Parses pattern specs.
/// <code>
/// expr     := term (('+' | '-') term)*          union, difference: one level, left-associative
/// term     := factor ('&amp;' factor)*              intersection binds tighter
/// factor   := '(' expr ')' | schedule | atom
/// atom     := name [ '(' [arg (',' arg)*] ')' ]
/// arg      := [name '='] value
/// value    := ['-'] int | '[' [['-'] int (',' ['-'] int)*] ']' | name
/// schedule := ('layers' | 'heads') '(' entry (';' entry)* ')'
/// entry    := (int ['-' int] | '*') ':' expr
/// </code>
/// Whitespace may appear between any two tokens. Names are matched case-sensitively.
/// </summary>
public static class PatternSpec
{
    // The name → pattern dispatch: adding a pattern is one line here. A table rather than a switch so that an unknown
    // name can be matched against every known one for a "did you mean" suggestion.
    private static readonly Dictionary<string, Func<SpecArguments, Pattern>> _atoms = new(StringComparer.Ordinal)
    {
        ["full"] = _ => new FullPattern(),
        ["local"] = a => new LocalPattern(a.Int("k")),
        ["global"] = a => a.Has("tokens") ? new GlobalTokensPattern(a.Choice<GlobalTokenSet>("tokens")) : new GlobalPattern(a.Int("g")),
        ["dilated"] = a => new DilatedPattern(a.Int("k"), a.Int("d")),
        ["diagonal"] = a => new DiagonalPattern(a.RestInts("offsets")),
        ["axis"] = a => new AxisPattern(a.IntList("rows", []), a.IntList("cols", [])),
        ["random"] = a => new RandomPattern(a.Int("r"), a.Seed()),
        ["bigbird"] = a => new BigBirdPattern(a.Int("g"), a.Int("w"), a.Int("r"), a.Seed()),
        ["bigbird_blocks"] = a => new BigBirdBlocksPattern(a.Int("b"), a.Int("r"), a.Seed()),
        ["longformer"] = a => new LongformerPattern(a.Int("w"), a.Int("d", 1), a.Int("g", 1)),
        ["strided"] = a => new StridedPattern(a.Int("l"), a.Bool("causal", true)),
        ["fixed"] = a => new FixedPattern(a.Int("l"), a.Int("c"), a.Bool("causal", true)),
        ["logsparse"] = a => new LogSparsePattern(a.Bool("causal", true)),
        ["star"] = _ => new StarPattern(),
        ["syntax"] = a => new SyntaxPattern(a.Int("k"), Special(a), Cls(a)),
        ["lexical"] = a => new LexicalPattern(a.Int("m"), Special(a), Cls(a)),
    };

    private static SpecialTokenMode Special(SpecArguments a) =>
        a.Has("special") ? a.Choice<SpecialTokenMode>("special") : SpecialTokenMode.Self;

    private static ClsRow Cls(SpecArguments a) => a.Has("cls") ? a.Choice<ClsRow>("cls") : ClsRow.Special;

    /// <summary>How deep parentheses and schedules may nest. The parser and every pattern tree recurse once per level,
    /// so a hostile spec of 8,000 '(' would overflow the stack and abort the process; real specs nest two or three deep.</summary>
    public const int MaxNesting = 32;

    /// <summary>How many atoms one spec may hold. Operators chain left-deep, so this bounds the depth of the pattern
    /// tree that every row enumeration recurses through; no paper's pattern needs more than a handful.</summary>
    public const int MaxAtoms = 256;

    /// <summary>Every name the grammar accepts as an atom or schedule.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. _atoms.Keys, "layers", "heads"];

    /// <summary>Parses <paramref name="spec"/>; throws <see cref="SpecException"/> naming the column of a problem.</summary>
    public static Pattern Parse(string spec) => Parse(spec, []);

    /// <summary>
    /// Parses <paramref name="spec"/> as <see cref="Parse(string)"/> does; an unknown name is also matched against
    /// <paramref name="otherNames"/> (the attention spec's variants and learnable patterns, which this layer does not
    /// know) for the "did you mean" suggestion.
    /// </summary>
    public static Pattern Parse(string spec, IReadOnlyList<string> otherNames)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(otherNames);
        var parser = new Parser(spec, otherNames);
        var pattern = parser.Expression();
        parser.ExpectEnd();
        return pattern;
    }

    private enum TokenKind
    {
        Name,
        Integer,
        Symbol,
        End,
    }

    private readonly record struct Token(TokenKind Kind, string Text, int Column)
    {
        public bool Is(char symbol) => Kind == TokenKind.Symbol && Text[0] == symbol;

        public string Describe => Kind == TokenKind.End ? "the end of the spec" : $"'{Text}'";
    }

    private sealed class Parser
    {
        private readonly string _spec;
        private readonly List<Token> _tokens;
        private int _position;
        private int _nesting;
        private int _atomCount;

        private readonly IReadOnlyList<string> _otherNames;

        public Parser(string spec, IReadOnlyList<string> otherNames)
        {
            _spec = spec;
            _otherNames = otherNames;
            _tokens = Tokenize(spec);
        }

        private Token Current => _tokens[_position];

        private Token Peek(int ahead) => _tokens[Math.Min(_position + ahead, _tokens.Count - 1)];

        public Pattern Expression()
        {
            var left = Term();
            while (Current.Is('+') || Current.Is('-'))
            {
                bool union = Current.Is('+');
                _position++;
                var right = Term();
                left = union ? new UnionPattern(left, right) : new DifferencePattern(left, right);
            }
            return left;
        }

        public void ExpectEnd()
        {
            if (Current.Kind != TokenKind.End)
                throw Error(Current.Column, $"unexpected {Current.Describe} at column {Current.Column} after a complete pattern; expected '+', '-', '&' or the end");
        }

        private Pattern Term()
        {
            var left = Factor();
            while (Current.Is('&'))
            {
                _position++;
                left = new IntersectionPattern(left, Factor());
            }
            return left;
        }

        private Pattern Factor()
        {
            if (Current.Is('('))
            {
                EnterNesting(Current);
                _position++;
                var inner = Expression();
                Expect(')');
                _nesting--;
                return inner;
            }
            if (Current.Kind != TokenKind.Name)
            {
                string found = Current.Kind == TokenKind.End && _tokens.Count == 1 ? "the spec is empty" : $"found {Current.Describe}";
                throw Error(Current.Column, $"expected a pattern name or '(' at column {Current.Column} but {found}");
            }
            var name = Current;
            _position++;
            if (name.Text is "layers" or "heads")
            {
                EnterNesting(name);
                var schedule = Schedule(name);
                _nesting--;
                return schedule;
            }
            if (!_atoms.TryGetValue(name.Text, out var build)) throw Unknown(name);
            if (++_atomCount > MaxAtoms)
                throw Error(name.Column, $"the spec has more than {MaxAtoms} patterns (the {MaxAtoms + 1}th at column {name.Column}); combine fewer");
            var arguments = new List<SpecArgument>();
            int end = name.Column + name.Text.Length;
            if (Current.Is('('))
            {
                _position++;
                if (!Current.Is(')'))
                {
                    arguments.Add(Argument());
                    while (Current.Is(','))
                    {
                        _position++;
                        arguments.Add(Argument());
                    }
                }
                end = Current.Column;
                Expect(')');
            }
            var probe = new SpecArguments(_spec, name.Text, name.Column, end, arguments, probe: true);
            try
            {
                build(probe);
            }
            catch (ArgumentException)
            {
                // The probe's placeholder values may fail validation; the real pass below reports the user's values.
            }
            probe.RejectUnknownNames();
            var reader = new SpecArguments(_spec, name.Text, name.Column, end, arguments);
            Pattern pattern;
            try
            {
                pattern = build(reader);
            }
            catch (ArgumentException e)
            {
                throw Error(name.Column, $"{Clean(e)} (pattern '{name.Text}' at column {name.Column})");
            }
            reader.Finish();
            return pattern;
        }

        private SpecArgument Argument()
        {
            int column = Current.Column;
            string? name = null;
            if (Current.Kind == TokenKind.Name && Peek(1).Is('='))
            {
                name = Current.Text;
                _position += 2;
            }
            return new SpecArgument(name, Value(), column);
        }

        private SpecValue Value()
        {
            var start = Current;
            if (start.Kind == TokenKind.Name)
            {
                _position++;
                return new SpecValue(SpecValueKind.Identifier, 0, [], start.Text, start.Column);
            }
            if (start.Is('['))
            {
                _position++;
                var items = new List<long>();
                if (!Current.Is(']'))
                {
                    items.Add(Integer());
                    while (Current.Is(','))
                    {
                        _position++;
                        items.Add(Integer());
                    }
                }
                Expect(']');
                return new SpecValue(SpecValueKind.IntegerList, 0, [.. items], $"[{string.Join(',', items)}]", start.Column);
            }
            if (start.Kind == TokenKind.Integer || start.Is('-'))
            {
                long value = Integer();
                return new SpecValue(SpecValueKind.Integer, value, [], value.ToString(System.Globalization.CultureInfo.InvariantCulture), start.Column);
            }
            throw Error(start.Column, $"expected an argument (an integer, a list like [0,1] or a name) at column {start.Column} but found {start.Describe}");
        }

        private long Integer()
        {
            bool negative = Current.Is('-');
            if (negative) _position++;
            var digits = Current;
            if (digits.Kind != TokenKind.Integer)
                throw Error(digits.Column, $"expected an integer at column {digits.Column} but found {digits.Describe}");
            _position++;
            if (!long.TryParse(digits.Text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long value))
                throw Error(digits.Column, $"integer {digits.Text} at column {digits.Column} is too large");
            return negative ? -value : value;
        }

        private SchedulePattern Schedule(Token name)
        {
            var axis = name.Text == "layers" ? ScheduleAxis.Layers : ScheduleAxis.Heads;
            Expect('(');
            var entries = new List<ScheduleEntry>();
            Pattern? otherwise = null;
            do
            {
                if (entries.Count > 0 || otherwise is not null) _position++;
                var selector = Current;
                if (selector.Is('*'))
                {
                    _position++;
                    if (otherwise is not null)
                        throw Error(selector.Column, $"{name.Text}(...) has a second '*' entry at column {selector.Column}; keep one");
                    Expect(':');
                    otherwise = Expression();
                    continue;
                }
                long first = ScheduleIndex(name.Text);
                long last = first;
                if (Current.Is('-'))
                {
                    _position++;
                    last = ScheduleIndex(name.Text);
                }
                if (last < first)
                    throw Error(selector.Column, $"{name.Text}(...) range {first}-{last} at column {selector.Column} is reversed; write {last}-{first}");
                var overlap = entries.FirstOrDefault(e => first <= e.Last && e.First <= last);
                if (overlap is not null)
                    throw Error(selector.Column, $"{name.Text}(...) range {first}-{last} at column {selector.Column} overlaps the earlier range {overlap.RangeSpec}");
                Expect(':');
                entries.Add(new ScheduleEntry((int)first, (int)last, Expression()));
            }
            while (Current.Is(';'));
            Expect(')');
            return new SchedulePattern(axis, entries, otherwise);
        }

        private long ScheduleIndex(string schedule)
        {
            var token = Current;
            if (token.Kind != TokenKind.Integer)
                throw Error(token.Column, $"expected an index, a range like 0-5 or '*' in {schedule}(...) at column {token.Column} but found {token.Describe}");
            long value = Integer();
            return value <= int.MaxValue ? value : throw Error(token.Column, $"index {value} at column {token.Column} is too large");
        }

        private void EnterNesting(Token opening)
        {
            if (++_nesting > MaxNesting)
                throw Error(opening.Column, $"the spec nests deeper than {MaxNesting} levels of parentheses and schedules at column {opening.Column}; flatten it");
        }

        private void Expect(char symbol)
        {
            if (!Current.Is(symbol))
                throw Error(Current.Column, $"expected '{symbol}' at column {Current.Column} but found {Current.Describe}");
            _position++;
        }

        private SpecException Unknown(Token name)
        {
            string? best = null;
            int bestDistance = int.MaxValue;
            foreach (string known in Names.Concat(_otherNames))
            {
                int distance = EditDistance(name.Text, known);
                if (distance < bestDistance)
                {
                    best = known;
                    bestDistance = distance;
                }
            }
            string hint = best is not null && bestDistance <= Math.Max(1, Math.Min(2, name.Text.Length / 2))
                ? $"did you mean '{best}'?"
                : $"known patterns: {string.Join(", ", Names)}";
            return Error(name.Column, $"unknown pattern '{name.Text}' at column {name.Column}; {hint}");
        }

        private SpecException Error(int column, string problem) => new(_spec, column, problem);

        private List<Token> Tokenize(string spec)
        {
            var tokens = new List<Token>();
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
                    tokens.Add(new Token(TokenKind.Name, spec[start..i], start + 1));
                }
                else if (char.IsAsciiDigit(c))
                {
                    while (i < spec.Length && char.IsAsciiDigit(spec[i])) i++;
                    tokens.Add(new Token(TokenKind.Integer, spec[start..i], start + 1));
                }
                else if ("()[],=+-&:;*".Contains(c, StringComparison.Ordinal))
                {
                    tokens.Add(new Token(TokenKind.Symbol, c.ToString(), start + 1));
                    i++;
                }
                else
                {
                    throw Error(start + 1, $"unexpected character '{c}' at column {start + 1}; a spec uses names, integers and ( ) [ ] , = + - & : ; *");
                }
            }
            tokens.Add(new Token(TokenKind.End, "", spec.Length + 1));
            return tokens;
        }
    }

    /// <summary>An argument exception's message without the " (Parameter 'x')" suffix .NET appends.</summary>
    private static string Clean(ArgumentException e)
    {
        string message = e.Message;
        if (e.ParamName is not null)
        {
            int cut = message.IndexOf($" (Parameter '{e.ParamName}')", StringComparison.Ordinal);
            if (cut >= 0) message = message[..cut];
        }
        return message;
    }

    /// <summary>Levenshtein distance, for "did you mean" suggestions.</summary>
    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitute = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitute, Math.Min(previous[j], current[j - 1]) + 1);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
