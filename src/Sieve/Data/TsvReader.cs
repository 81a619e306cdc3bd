// Reader of tab-separated files as GLUE and LRA write them: split on TAB only and never CSV-unquote (RTE and STS-B
// fields begin with or contain a lone `"`, which a CSV parser would swallow up to the next quote, merging rows), strip
// a UTF-8 byte-order mark (MRPC), accept LF or CRLF line ends, and stream (MNLI and QQP train are hundreds of MB).
using System.Text;

namespace Sieve.Data;

/// <summary>Streams the rows of a TSV file with their line numbers.</summary>
public static class TsvReader
{
    private const char ByteOrderMark = '\uFEFF';

    /// <summary>The rows of <paramref name="path"/>, line by line, each split on TAB. A file ending in a newline gives
    /// no empty last row; an empty line inside the file gives a row with one empty field.</summary>
    public static IEnumerable<TsvRow> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"no data file at {path}; check --data and the task's file names.", path);
        return ReadLines(path).Select(line => new TsvRow(line.Number, line.Text.Split('\t')));
    }

    /// <summary>The lines of <paramref name="path"/> (1-based numbers), split on LF only, a trailing CR and a leading BOM
    /// removed. Used for raw text files too. A lone CR inside a line is kept: only LF ends a line in these formats.</summary>
    public static IEnumerable<(int Number, string Text)> ReadLines(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"no data file at {path}.", path);
        if (RegularFile.Problem(path, "the data file") is { } problem) throw new InvalidDataException(problem);
        return Iterate(path);
    }

    private static IEnumerable<(int Number, string Text)> Iterate(string path)
    {
        using var reader = new StreamReader(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), detectEncodingFromByteOrderMarks: false);
        var line = new StringBuilder();
        var buffer = new char[1 << 16];
        int number = 0, read;
        bool first = true;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            int start = 0;
            if (first && buffer[0] == ByteOrderMark) start = 1;
            first = false;
            for (int i = start; i < read; i++)
            {
                if (buffer[i] != '\n') continue;
                line.Append(buffer, start, i - start);
                start = i + 1;
                yield return (++number, Finish(line));
            }
            line.Append(buffer, start, read - start);
        }
        if (line.Length > 0) yield return (++number, Finish(line));
    }

    private static string Finish(StringBuilder line)
    {
        if (line.Length > 0 && line[^1] == '\r') line.Length--;
        var text = line.ToString();
        line.Clear();
        return text;
    }
}
