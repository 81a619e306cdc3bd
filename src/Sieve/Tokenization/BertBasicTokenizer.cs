// The words of a text before WordPiece: HF's BasicTokenizer (transformers/models/bert/tokenization_bert.py) together
// with the special-token split and per-character lower-casing that PreTrainedTokenizer.tokenize does before it.
using System.Globalization;
using System.Text;

namespace Sieve.Tokenization;

/// <summary>
/// Splits text into BERT's words as HF's slow BertTokenizer does: special tokens cut out where they occur; control
/// characters, NUL and U+FFFD dropped; whitespace normalised; CJK ideographs made words; NFC; lower-casing and accent
/// stripping as <see cref="TokenizerOptions"/> say; then every punctuation mark its own word.
/// </summary>
internal sealed class BertBasicTokenizer
{
    // The tokens PreTrainedTokenizer.tokenize never splits (BertTokenizer's all_special_tokens), matched case-sensitively.
    internal static readonly string[] SpecialTokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

    private readonly TokenizerOptions _options;

    public BertBasicTokenizer(TokenizerOptions options) => _options = options;

    /// <summary>The words of <paramref name="text"/>, each special token a word of its own, in order.</summary>
    public List<string> Tokenize(string text)
    {
        var words = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length;)
        {
            var special = SpecialAt(text, i);
            if (special is null)
            {
                i++;
                continue;
            }
            Words(text[start..i], words);
            words.Add(special);
            i += special.Length;
            start = i;
        }
        Words(text[start..], words);
        return words;
    }

    private static string? SpecialAt(string text, int index)
    {
        if (text[index] != '[') return null;
        foreach (var s in SpecialTokens)
            if (string.CompareOrdinal(text, index, s, 0, s.Length) == 0) return s;
        return null;
    }

    // BasicTokenizer.tokenize on a stretch of text between special tokens.
    private void Words(string text, List<string> words)
    {
        if (text.Length == 0) return;
        // PreTrainedTokenizer.tokenize lower-cases one character at a time for do_lower_case (a regex with "(.+?)"),
        // before the basic tokenizer's own lower(): so Python's final-sigma rule never applies (Σ → σ everywhere).
        if (_options.LowerCase) text = Lower(text);
        text = Clean(text);
        if (_options.TokenizeChineseChars) text = SpaceCjk(text);
        text = text.Normalize(NormalizationForm.FormC);

        foreach (var raw in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var token = raw;
            if (Array.IndexOf(SpecialTokens, token) < 0)
            {
                if (_options.LowerCase) token = Lower(token);
                if (_options.StripsAccents) token = StripAccents(token);
            }
            SplitOnPunctuation(token, words);
        }
    }

    // _clean_text: drop NUL, U+FFFD and control characters (category C*, lone surrogates included), map whitespace to ' '.
    private static string Clean(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var r in text.EnumerateRunes())
        {
            // EnumerateRunes yields U+FFFD for a lone surrogate, which HF drops as a control character (Cs) anyway.
            if (r.Value == 0 || r.Value == 0xFFFD) continue;
            if (r.Value is '\t' or '\n' or '\r' || Rune.GetUnicodeCategory(r) == UnicodeCategory.SpaceSeparator)
            {
                sb.Append(' ');
                continue;
            }
            if (IsControl(r)) continue;
            sb.Append(r.ToString());
        }
        return sb.ToString();
    }

    private static bool IsControl(Rune r) => Rune.GetUnicodeCategory(r) is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned;

    // _tokenize_chinese_chars: HF's CJK ranges, which leave out Hangul, kana and the CJK punctuation on purpose.
    private static bool IsCjk(int cp) =>
        cp is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF) or (>= 0x20000 and <= 0x2A6DF)
            or (>= 0x2A700 and <= 0x2B73F) or (>= 0x2B740 and <= 0x2B81F) or (>= 0x2B820 and <= 0x2CEAF)
            or (>= 0xF900 and <= 0xFAFF) or (>= 0x2F800 and <= 0x2FA1F);

    private static string SpaceCjk(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var r in text.EnumerateRunes())
        {
            if (IsCjk(r.Value)) sb.Append(' ').Append(r.ToString()).Append(' ');
            else sb.Append(r.ToString());
        }
        return sb.ToString();
    }

    // Python's str.lower() per code point: the simple mappings .NET has, plus İ (U+0130), whose full lower case is two
    // code points, i and a combining dot (U+0307), which accent stripping then removes.
    private static string Lower(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var r in text.EnumerateRunes())
        {
            if (r.Value == 0x130) sb.Append("i\u0307");
            else sb.Append(Rune.ToLowerInvariant(r).ToString());
        }
        return sb.ToString();
    }

    // _run_strip_accents: NFD, then drop the non-spacing marks (category Mn).
    private static string StripAccents(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var r in text.Normalize(NormalizationForm.FormD).EnumerateRunes())
            if (Rune.GetUnicodeCategory(r) != UnicodeCategory.NonSpacingMark) sb.Append(r.ToString());
        return sb.ToString();
    }

    // _run_split_on_punc: every punctuation mark a word; special tokens (whole words) are never split.
    private static void SplitOnPunctuation(string token, List<string> words)
    {
        if (Array.IndexOf(SpecialTokens, token) >= 0)
        {
            words.Add(token);
            return;
        }
        var word = new StringBuilder();
        foreach (var r in token.EnumerateRunes())
        {
            if (!IsPunctuation(r))
            {
                word.Append(r.ToString());
                continue;
            }
            if (word.Length > 0) words.Add(word.ToString());
            word.Clear();
            words.Add(r.ToString());
        }
        if (word.Length > 0) words.Add(word.ToString());
    }

    // _is_punctuation: all non-alphanumeric ASCII (so $, +, ^, ` count although Unicode calls them symbols) and any
    // Unicode P* category. Other symbols (£ € © ° ± × ² ½ ™) are not punctuation: they stay in their word.
    private static bool IsPunctuation(Rune r)
    {
        var cp = r.Value;
        if (cp is (>= 33 and <= 47) or (>= 58 and <= 64) or (>= 91 and <= 96) or (>= 123 and <= 126)) return true;
        return Rune.GetUnicodeCategory(r) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
    }
}
