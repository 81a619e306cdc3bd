// The texts of `sieve encode --input`: JSON Lines ({"text": ..., "text_pair": ...} per line) or a TSV with a header
// naming a `text` column and optionally `text_pair`. The whole file is read and checked before anything is encoded,
// so a bad line stops the run before any output, with the file and line in the message.
using System.Text.Json;

namespace Sieve.Data;

/// <summary>Reads <see cref="TextInput"/>s from a .jsonl or .tsv file.</summary>
public static class TextInputReader
{
    /// <summary>The JSON field (and TSV column) of the text.</summary>
    public const string TextField = "text";

    /// <summary>The JSON field (and TSV column) of the optional second text of a pair.</summary>
    public const string PairField = "text_pair";

    /// <summary>
    /// Every input of <paramref name="path"/>, in file order: one per line of a .jsonl (or .ndjson) file, one per row
    /// after the header of a .tsv file. Other JSON fields and TSV columns are ignored (ids may travel with the texts).
    /// </summary>
    /// <exception cref="DataFormatException">A line is blank, not a JSON object, lacks a string "text", has a non-string
    /// "text_pair", or a TSV row has another number of fields than the header.</exception>
    /// <exception cref="ArgumentException">The file is neither .jsonl nor .tsv.</exception>
    public static IReadOnlyList<TextInput> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var extension = Path.GetExtension(path).ToLowerInvariant();
        var inputs = extension switch
        {
            ".jsonl" or ".ndjson" => ReadJsonLines(path),
            ".tsv" => ReadTsv(path),
            _ => throw new ArgumentException($"{path}: give a .jsonl file ({{\"{TextField}\": ..., \"{PairField}\": ...}} per line) or a .tsv file with a '{TextField}' column."),
        };
        if (inputs.Count == 0) throw new DataFormatException(path, 0, "no input line; there is nothing to encode.");
        return inputs;
    }

    private static List<TextInput> ReadJsonLines(string path)
    {
        var inputs = new List<TextInput>();
        foreach (var (number, text) in TsvReader.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(text))
                throw new DataFormatException(path, number, $"blank line; every line must be a JSON object with a \"{TextField}\" (one output line is written per input line).");
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(text);
            }
            catch (JsonException e)
            {
                throw new DataFormatException(path, number, $"not valid JSON ({e.Message}).");
            }
            using (document)
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                    throw new DataFormatException(path, number, $"expected a JSON object with a \"{TextField}\", got {root.ValueKind.ToString().ToLowerInvariant()}.");
                inputs.Add(new TextInput(number, Text(root, path, number), Pair(root, path, number)));
            }
        }
        return inputs;
    }

    private static string Text(JsonElement root, string path, int number) =>
        root.TryGetProperty(TextField, out var text) && text.ValueKind == JsonValueKind.String
            ? text.GetString()!
            : throw new DataFormatException(path, number, $"\"{TextField}\" must be a string{(root.TryGetProperty(TextField, out _) ? "" : ", and it is missing")}.");

    private static string? Pair(JsonElement root, string path, int number)
    {
        if (!root.TryGetProperty(PairField, out var pair) || pair.ValueKind == JsonValueKind.Null) return null;
        return pair.ValueKind == JsonValueKind.String ? pair.GetString() : throw new DataFormatException(path, number, $"\"{PairField}\" must be a string or null.");
    }

    private static List<TextInput> ReadTsv(string path)
    {
        using var rows = TsvReader.Read(path).GetEnumerator();
        if (!rows.MoveNext()) throw new DataFormatException(path, 0, $"empty file; a header row naming a '{TextField}' column comes first.");
        var header = rows.Current.Fields;
        int text = Array.IndexOf(header, TextField), pair = Array.IndexOf(header, PairField);
        if (text < 0)
            throw new DataFormatException(path, 1, $"the header has no '{TextField}' column (it has {string.Join(", ", header.Select(h => $"'{h}'"))}); the first row names the columns.");
        var inputs = new List<TextInput>();
        while (rows.MoveNext())
        {
            var row = rows.Current;
            if (row.Fields.Length != header.Length)
                throw new DataFormatException(path, row.Line, $"{row.Fields.Length} tab-separated field(s) where the header has {header.Length}.");
            // A TSV cell cannot be null: an empty text_pair means a single text.
            inputs.Add(new TextInput(row.Line, row.Fields[text], pair < 0 || row.Fields[pair].Length == 0 ? null : row.Fields[pair]));
        }
        return inputs;
    }
}
