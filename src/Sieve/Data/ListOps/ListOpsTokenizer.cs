// ListOps tokenization as LRA's input pipeline does it (listops/input_pipeline.py, METHODS.md §15.1): drop "(" and ")",
// rename "]" to "X", split on whitespace; then a fixed vocabulary with [CLS] first, so the model can pool it.
//   ids: 0 [PAD]  1 [CLS]  2 [SEP]  3–12 the digits 0–9  13 [MIN  14 [MAX  15 [MED  16 [SM  17 X (the closing "]")
namespace Sieve.Data.ListOps;

/// <summary>Turns ListOps expressions into token ids over an 18-token vocabulary (see the file header for the ids).</summary>
public static class ListOpsTokenizer
{
    /// <summary>Padding id.</summary>
    public const int PadId = 0;

    /// <summary>The [CLS] id, put first so that the classifier can pool it.</summary>
    public const int ClsId = 1;

    /// <summary>The [SEP] id (reserved; a single expression needs none).</summary>
    public const int SepId = 2;

    /// <summary>The id of digit 0; digit d has id <c>DigitBaseId + d</c>.</summary>
    public const int DigitBaseId = 3;

    /// <summary>The id of [MIN; [MAX, [MED, [SM follow in <see cref="ListOpsOperator"/> order.</summary>
    public const int OperatorBaseId = 13;

    /// <summary>The id of X, the closing bracket.</summary>
    public const int CloseId = 17;

    /// <summary>The number of ids.</summary>
    public const int VocabularySize = 18;

    /// <summary>The closing token after renaming.</summary>
    public const string CloseToken = "X";

    private static readonly string[] _operators = ["[MIN", "[MAX", "[MED", "[SM"];

    /// <summary>The vocabulary in id order.</summary>
    public static IReadOnlyList<string> Vocabulary { get; } =
        ["[PAD]", "[CLS]", "[SEP]", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", .. _operators, CloseToken];

    /// <summary>The text of an operator token, e.g. <c>[MED</c>.</summary>
    public static string OperatorToken(ListOpsOperator op) => _operators[(int)op];

    /// <summary>The operator a token names, or null.</summary>
    public static ListOpsOperator? ParseOperator(string token)
    {
        int index = Array.IndexOf(_operators, token);
        return index < 0 ? null : (ListOpsOperator)index;
    }

    /// <summary>The tokens of an expression: "(" and ")" removed, "]" renamed "X", split on whitespace.</summary>
    public static IReadOnlyList<string> Tokens(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var cleaned = source.Replace("(", " ", StringComparison.Ordinal).Replace(")", " ", StringComparison.Ordinal)
            .Replace("]", " " + CloseToken + " ", StringComparison.Ordinal);
        return cleaned.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The ids of an expression: [CLS] then one id per token, cut to <paramref name="maxLength"/> ids when given.</summary>
    /// <exception cref="FormatException">A token outside the vocabulary; the message names it.</exception>
    public static int[] Encode(string source, int? maxLength = null)
    {
        if (maxLength is < 1) throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "the length must be at least 1 (room for [CLS]).");
        var tokens = Tokens(source);
        int count = Math.Min(tokens.Count + 1, maxLength ?? int.MaxValue);
        var ids = new int[count];
        ids[0] = ClsId;
        for (int i = 1; i < count; i++) ids[i] = Id(tokens[i - 1]);
        return ids;
    }

    /// <summary>The ids of <see cref="Encode"/> cut or padded with [PAD] to exactly <paramref name="length"/>.</summary>
    public static int[] EncodePadded(string source, int length)
    {
        var ids = Encode(source, length);
        if (ids.Length == length) return ids;
        var padded = new int[length]; // PadId is 0
        ids.CopyTo(padded, 0);
        return padded;
    }

    private static int Id(string token)
    {
        if (token.Length == 1 && char.IsAsciiDigit(token[0])) return DigitBaseId + (token[0] - '0');
        if (token == CloseToken) return CloseId;
        if (ParseOperator(token) is { } op) return OperatorBaseId + (int)op;
        throw new FormatException($"'{token}' is not a ListOps token (digits, [MIN, [MAX, [MED, [SM, ], parentheses).");
    }
}
