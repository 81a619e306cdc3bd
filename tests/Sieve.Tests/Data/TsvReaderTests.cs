// The TSV reader splits on TAB only, keeps quotes verbatim, strips a byte-order mark and accepts CRLF.
using Sieve.Data;

namespace Sieve.Tests.Data;

public sealed class TsvReaderTests
{
    [Fact]
    public void Read_SplitsOnTabOnly_KeepsLoneQuotes_StripsBom_AcceptsCrlf()
    {
        using var folder = new TempFolder();
        var path = folder.Write("a.tsv", "a\tb\r\n\"lone quote\tx, \"y\"\r\nlast\t\"\n", byteOrderMark: true);
        var rows = TsvReader.Read(path).ToArray();
        Assert.Equal(3, rows.Length); // the final newline makes no empty row
        Assert.Equal(["a", "b"], rows[0].Fields); // no BOM glued to "a", no CR glued to "b"
        Assert.Equal(["\"lone quote", "x, \"y\""], rows[1].Fields);
        Assert.Equal(["last", "\""], rows[2].Fields);
        Assert.Equal([1, 2, 3], rows.Select(r => r.Line));
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, File.ReadAllBytes(path).Take(3)); // the BOM was really there
    }

    [Fact]
    public void Read_KeepsAnEmptyLineInside_AndALastLineWithoutNewline()
    {
        using var folder = new TempFolder();
        var rows = TsvReader.Read(folder.Write("b.tsv", "x\n\ny\tz")).ToArray();
        Assert.Equal(3, rows.Length);
        Assert.Equal([""], rows[1].Fields);
        Assert.Equal(["y", "z"], rows[2].Fields);
    }

    [Fact]
    public void Read_LongLinesCrossingTheBuffer_AreWhole()
    {
        using var folder = new TempFolder();
        var longText = new string('w', 200_000);
        var rows = TsvReader.Read(folder.Write("c.tsv", $"{longText}\t1\nshort\t0\n")).ToArray();
        Assert.Equal(longText, rows[0].Fields[0]);
        Assert.Equal(["short", "0"], rows[1].Fields);
    }

    [Fact]
    public void Read_MissingFile_NamesIt()
    {
        var error = Assert.Throws<FileNotFoundException>(() => TsvReader.Read("/no/such/file.tsv"));
        Assert.Contains("/no/such/file.tsv", error.Message, StringComparison.Ordinal);
    }
}
