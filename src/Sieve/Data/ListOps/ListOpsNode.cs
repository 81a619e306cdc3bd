// A ListOps expression tree (LRA lra_benchmarks/data/listops.py, METHODS.md §15.1): a digit leaf or an operator with
// two or more arguments. It prints itself as LRA writes it — every nested pair wrapped in "( … )", e.g.
// `( ( ( [MAX 2 ) 9 ) ] )` — counts its tokens as LRA does, parses the text form back and evaluates itself.
using System.Globalization;
using System.Text;

namespace Sieve.Data.ListOps;

/// <summary>A node of a ListOps expression: a leaf with <see cref="Value"/> 0–9, or an <see cref="Operator"/> with
/// <see cref="Arguments"/>.</summary>
public sealed class ListOpsNode
{
    private ListOpsNode(ListOpsOperator? op, int value, IReadOnlyList<ListOpsNode> arguments)
    {
        Operator = op;
        Value = value;
        Arguments = arguments;
        // LRA's length: one token per leaf; an operator adds its own token and the closing "]".
        Length = op is null ? 1 : 2 + arguments.Sum(a => a.Length);
    }

    /// <summary>The operator, or null for a digit leaf.</summary>
    public ListOpsOperator? Operator { get; }

    /// <summary>The digit of a leaf (0 for operator nodes; use <see cref="Evaluate"/> for their value).</summary>
    public int Value { get; }

    /// <summary>The arguments of an operator node; empty for a leaf.</summary>
    public IReadOnlyList<ListOpsNode> Arguments { get; }

    /// <summary>The number of tokens once "(" and ")" are removed: the length LRA bounds (500 &lt; length &lt; 2000).</summary>
    public int Length { get; }

    /// <summary>A digit leaf.</summary>
    public static ListOpsNode Leaf(int value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 9);
        return new(null, value, []);
    }

    /// <summary>An operator node with at least two arguments.</summary>
    public static ListOpsNode Apply(ListOpsOperator op, IReadOnlyList<ListOpsNode> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (arguments.Count < 2) throw new ArgumentException($"a ListOps operator takes at least 2 arguments, got {arguments.Count}.", nameof(arguments));
        return new(op, 0, arguments.ToArray());
    }

    /// <summary>The value of the expression, 0–9: the target class.</summary>
    public int Evaluate()
    {
        if (Operator is not { } op) return Value;
        var values = Arguments.Select(a => a.Evaluate()).ToArray();
        return op switch
        {
            ListOpsOperator.Min => values.Min(),
            ListOpsOperator.Max => values.Max(),
            ListOpsOperator.Sm => values.Sum() % 10,
            ListOpsOperator.Med => Median(values),
            _ => throw new InvalidOperationException($"unknown operator {op}."),
        };
    }

    // np.median averages the two middle values of an even count; int() truncates toward zero (values are ≥ 0).
    private static int Median(int[] values)
    {
        Array.Sort(values);
        int middle = values.Length / 2;
        return values.Length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    /// <summary>The LRA text form: LRA builds an operator node as nested pairs ((((op, a1), a2), …), "]") and prints every
    /// pair as "( left right )", so `[MAX 2 9 ]` reads <c>( ( ( [MAX 2 ) 9 ) ] )</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        Write(text);
        return text.ToString();
    }

    private void Write(StringBuilder text)
    {
        if (Operator is not { } op)
        {
            text.Append((char)('0' + Value));
            return;
        }
        // Pairs nest to the left: one "( " per argument and one for the closing "]".
        text.Insert(text.Length, "( ", Arguments.Count + 1);
        text.Append(ListOpsTokenizer.OperatorToken(op));
        foreach (var argument in Arguments)
        {
            text.Append(' ');
            argument.Write(text);
            text.Append(" )");
        }
        text.Append(" ] )");
    }

    /// <summary>Parses an expression in any of its text forms: LRA's with parentheses, the original ListOps files', or the
    /// bare prefix form <c>[MAX 2 9 [MIN 4 7 ] 0 ]</c>. "(" and ")" are ignored; "]" and "X" close an operator.</summary>
    /// <exception cref="FormatException">The text is not one well-formed expression; the message says where.</exception>
    public static ListOpsNode Parse(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var tokens = ListOpsTokenizer.Tokens(source);
        int position = 0;
        var node = ParseNode(tokens, ref position);
        if (position != tokens.Count)
            throw new FormatException($"ListOps expression has extra tokens from token {position} ('{tokens[position]}') on.");
        return node;
    }

    private static ListOpsNode ParseNode(IReadOnlyList<string> tokens, ref int position)
    {
        if (position >= tokens.Count) throw new FormatException("ListOps expression ends early: an operator is missing its ']'.");
        var token = tokens[position++];
        if (token.Length == 1 && char.IsAsciiDigit(token[0])) return Leaf(token[0] - '0');
        if (ListOpsTokenizer.ParseOperator(token) is not { } op)
            throw new FormatException($"ListOps token {position - 1} ('{token}') is neither a digit nor an operator.");
        var arguments = new List<ListOpsNode>();
        while (position < tokens.Count && tokens[position] != ListOpsTokenizer.CloseToken)
            arguments.Add(ParseNode(tokens, ref position));
        if (position >= tokens.Count) throw new FormatException($"ListOps operator {token} is never closed with ']'.");
        position++;
        if (arguments.Count < 2)
            throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"ListOps operator {token} has {arguments.Count} arguments; at least 2 are needed."));
        return Apply(op, arguments);
    }
}
