// Byte-level text classification input in the style of LRA Text (text_classification/input_pipeline.py, METHODS.md
// §15.2): the UTF-8 bytes are the tokens, truncated to a maximum length and padded. Sieve puts [CLS] first so the
// classifier can pool it (LRA pools "CLS" too).
//   ids: 0 [PAD]  1 [CLS]  2 [SEP]  3–258 the bytes 0–255 (byte b has id b + 3)
using System.Text;

namespace Sieve.Data;

/// <summary>Turns text into byte ids over a 259-id vocabulary (see the file header).</summary>
public static class ByteTextEncoder
{
    /// <summary>Padding id.</summary>
    public const int PadId = 0;

    /// <summary>The [CLS] id, first in every sequence.</summary>
    public const int ClsId = 1;

    /// <summary>The [SEP] id (reserved for pairs).</summary>
    public const int SepId = 2;

    /// <summary>The id of byte 0: byte b has id <c>ByteOffset + b</c>.</summary>
    public const int ByteOffset = 3;

    /// <summary>The number of ids.</summary>
    public const int VocabularySize = ByteOffset + 256;

    /// <summary>The number of ids <paramref name="text"/> takes before truncation: [CLS] plus its UTF-8 byte count.</summary>
    public static int Length(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return 1 + Encoding.UTF8.GetByteCount(text);
    }

    /// <summary>[CLS] and the byte ids of <paramref name="text"/>, cut to <paramref name="maxLength"/> ids when given.</summary>
    public static int[] Encode(string text, int? maxLength = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (maxLength is < 1) throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "the length must be at least 1 (room for [CLS]).");
        var bytes = Encoding.UTF8.GetBytes(text);
        int count = Math.Min(bytes.Length + 1, maxLength ?? int.MaxValue);
        var ids = new int[count];
        ids[0] = ClsId;
        for (int i = 1; i < count; i++) ids[i] = ByteOffset + bytes[i - 1];
        return ids;
    }

    /// <summary>The ids of <see cref="Encode"/>, truncated then padded with [PAD] to exactly <paramref name="length"/>.</summary>
    public static int[] EncodePadded(string text, int length)
    {
        var ids = Encode(text, length);
        if (ids.Length == length) return ids;
        var padded = new int[length]; // PadId is 0
        ids.CopyTo(padded, 0);
        return padded;
    }

    /// <summary>The text of byte ids (specials dropped), for looking at what a model saw.</summary>
    public static string Decode(ReadOnlySpan<int> ids)
    {
        var bytes = new List<byte>(ids.Length);
        foreach (var id in ids)
            if (id >= ByteOffset && id < VocabularySize) bytes.Add((byte)(id - ByteOffset));
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
