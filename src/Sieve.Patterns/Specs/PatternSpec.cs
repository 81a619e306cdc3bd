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

    private sealed class Parser
    {
        private readonly SpecScanner _scanner;
        private readonly IReadOnlyList<string> _otherNames;
        private int _nesting;
        private int _atomCount;

        public Parser(string spec, IReadOnlyList<string> otherNames)
        {
            _scanner = new SpecScanner(spec);
            _otherNames = otherNames;
        }

        private SpecToken Current => _scanner.Current;

        public Pattern Expression()
        {
            var left = Term();
            while (Current.Is('+') || Current.Is('-'))
            {
                bool union = Current.Is('+');
                _scanner.Position++;
                var right = Term();
                left = union ? new UnionPattern(left, right) : new DifferencePattern(left, right);
            }
            return left;
        }

        public void ExpectEnd()
        {
            if (Current.Kind != SpecTokenKind.End)
                throw Error(Current.Column, $"unexpected {Current.Describe} at column {Current.Column} after a complete pattern; expected '+', '-', '&' or the end");
        }

        private Pattern Term()
        {
            var left = Factor();
            while (Current.Is('&'))
            {
                _scanner.Position++;
                left = new IntersectionPattern(left, Factor());
            }
            return left;
        }

        private Pattern Factor()
        {
            if (Current.Is('('))
            {
                EnterNesting(Current);
                _scanner.Position++;
                var inner = Expression();
                Expect(')');
                _nesting--;
                return inner;
            }
            if (Current.Kind != SpecTokenKind.Name)
            {
                string found = Current.Kind == SpecTokenKind.End && _scanner.IsEmpty ? "the spec is empty" : $"found {Current.Describe}";
                throw Error(Current.Column, $"expected a pattern name or '(' at column {Current.Column} but {found}");
            }
            var name = Current;
            _scanner.Position++;
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
            var (arguments, end) = _scanner.ArgumentList(name);
            return SpecArguments.Read(_scanner.Spec, "pattern", name, end, arguments, build);
        }

        private SchedulePattern Schedule(SpecToken name)
        {
            var axis = name.Text == "layers" ? ScheduleAxis.Layers : ScheduleAxis.Heads;
            Expect('(');
            var entries = new List<ScheduleEntry>();
            Pattern? otherwise = null;
            do
            {
                if (entries.Count > 0 || otherwise is not null) _scanner.Position++;
                var selector = Current;
                if (selector.Is('*'))
                {
                    _scanner.Position++;
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
                    _scanner.Position++;
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
            if (token.Kind != SpecTokenKind.Integer)
                throw Error(token.Column, $"expected an index, a range like 0-5 or '*' in {schedule}(...) at column {token.Column} but found {token.Describe}");
            long value = _scanner.Integer();
            return value <= int.MaxValue ? value : throw Error(token.Column, $"index {value} at column {token.Column} is too large");
        }

        private void EnterNesting(SpecToken opening)
        {
            if (++_nesting > MaxNesting)
                throw Error(opening.Column, $"the spec nests deeper than {MaxNesting} levels of parentheses and schedules at column {opening.Column}; flatten it");
        }

        private void Expect(char symbol) => _scanner.Expect(symbol);

        private SpecException Unknown(SpecToken name)
        {
            string hint = SpecSuggestion.Closest(name.Text, Names.Concat(_otherNames)) is { } best
                ? $"did you mean '{best}'?"
                : $"known patterns: {string.Join(", ", Names)}";
            return Error(name.Column, $"unknown pattern '{name.Text}' at column {name.Column}; {hint}");
        }

        private SpecException Error(int column, string problem) => _scanner.Error(column, problem);
    }
}
