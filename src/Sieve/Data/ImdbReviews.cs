// The Large Movie Review Dataset (Maas et al. 2011, "aclImdb": train/{pos,neg}/ID_RATING.txt and test/{pos,neg}/…, one
// review per file) turned into the `text` task's files, the data of LRA Text (Tay et al. 2021). LRA reads the reviews
// through tfds, which keeps them as they are (the HTML line breaks `<br />` included) with neg = 0 and pos = 1, trains
// on train/ and reports accuracy on test/; a folder on disk is what a user without tfds has, so Sieve reads that. The
// text task has no test labels to report on, so test/ becomes dev.tsv, the split `finetune` evaluates.
using System.Globalization;
using System.Text;

namespace Sieve.Data;

/// <summary>One review: its text on one line, its label (0 negative, 1 positive) and the file it came from.</summary>
public sealed record ImdbReview(string Text, int Label, string FilePath);

/// <summary>What <see cref="ImdbReviews.Write"/> records beside the files: the source, the choices and the counts.</summary>
public sealed record ImdbManifest(string Source, int Seed, bool StripBreaks, IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Labels, string Licence);

/// <summary>Reads an aclImdb folder and writes it as the <c>text</c> task's train.tsv and dev.tsv.</summary>
public static class ImdbReviews
{
    /// <summary>The manifest's file name in the output folder.</summary>
    public const string ManifestFile = "imdb.json";

    /// <summary>The note the manifest carries: the dataset's own terms travel with anything made from it.</summary>
    public const string Licence = "Large Movie Review Dataset v1.0 (Maas et al. 2011, ACL: \"Learning Word Vectors for Sentiment Analysis\"); " +
        "its README asks users to cite that paper. Reviews from IMDb; the dataset's terms apply to these files.";

    private const string Header = "text\tlabel";
    private const string LineBreak = "<br />";
    private static readonly (string Folder, int Label)[] _classes = [("neg", 0), ("pos", 1)];

    /// <summary>Every review of one split folder (<c>train</c> or <c>test</c>) under <paramref name="root"/>, in file-name
    /// order, negatives first; tabs and line breaks become spaces so that each review is one TSV field.</summary>
    /// <exception cref="DirectoryNotFoundException">The split has no <c>neg</c> or <c>pos</c> folder; the message gives the layout.</exception>
    /// <exception cref="DataFormatException">A review file is empty.</exception>
    public static IReadOnlyList<ImdbReview> Read(string root, string split, bool stripBreaks = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentException.ThrowIfNullOrEmpty(split);
        var reviews = new List<ImdbReview>();
        foreach (var (folder, label) in _classes)
        {
            var directory = Path.Combine(root, split, folder);
            if (!Directory.Exists(directory))
            {
                throw new DirectoryNotFoundException(
                    $"no {split}/{folder} folder in {root}; point --input at the unpacked aclImdb folder (train/pos, train/neg, test/pos, test/neg of *.txt).");
            }
            foreach (var path in Directory.EnumerateFiles(directory, "*.txt").Order(StringComparer.Ordinal))
            {
                var text = OneLine(File.ReadAllText(path, Encoding.UTF8), stripBreaks);
                if (text.Length == 0) throw new DataFormatException(path, 1, "the review is empty.");
                reviews.Add(new ImdbReview(text, label, path));
            }
        }
        return reviews;
    }

    /// <summary><paramref name="count"/> reviews drawn at random with the labels balanced (half of each, the odd one
    /// negative), or all of them when <paramref name="count"/> is null, in a random order either way.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer reviews of a label than the half asks for, or a count below 2.</exception>
    public static IReadOnlyList<ImdbReview> Sample(IReadOnlyList<ImdbReview> reviews, int? count, Random random, string split)
    {
        ArgumentNullException.ThrowIfNull(reviews);
        ArgumentNullException.ThrowIfNull(random);
        var chosen = new List<ImdbReview>();
        if (count is null)
        {
            chosen.AddRange(reviews);
        }
        else
        {
            if (count < 2) throw new ArgumentOutOfRangeException(nameof(count), count, $"--{split} must be at least 2 (one review of each label).");
            foreach (var (folder, label) in _classes)
            {
                var pool = reviews.Where(r => r.Label == label).ToArray();
                int want = label == 0 ? (count.Value + 1) / 2 : count.Value / 2;
                if (pool.Length < want)
                    throw new ArgumentOutOfRangeException(nameof(count), count, $"--{split} {count} needs {want} {folder} reviews but the folder has {pool.Length}.");
                random.Shuffle(pool);
                chosen.AddRange(pool.Take(want));
            }
        }
        var shuffled = chosen.ToArray();
        random.Shuffle(shuffled);
        return shuffled;
    }

    /// <summary>Writes train.tsv, dev.tsv (<c>text\tlabel</c> with a header) and <see cref="ManifestFile"/> into
    /// <paramref name="directory"/>; returns their paths.</summary>
    /// <exception cref="IOException">The folder already holds one of the files (nothing is overwritten).</exception>
    public static IReadOnlyList<string> Write(string directory, IReadOnlyList<ImdbReview> train, IReadOnlyList<ImdbReview> dev, ImdbManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(dev);
        return GeneratedTaskFiles.Write(directory, writer => WriteTsv(writer, train), writer => WriteTsv(writer, dev), ManifestFile, manifest);
    }

    /// <summary>How many reviews of each label: "0" and "1" as the files write them.</summary>
    public static IReadOnlyDictionary<string, int> CountLabels(IEnumerable<ImdbReview> reviews) =>
        reviews.GroupBy(r => r.Label).OrderBy(g => g.Key).ToDictionary(g => g.Key.ToString(CultureInfo.InvariantCulture), g => g.Count());

    private static void WriteTsv(TextWriter writer, IReadOnlyList<ImdbReview> reviews)
    {
        writer.WriteLine(Header);
        foreach (var review in reviews)
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{review.Text}\t{review.Label}"));
    }

    // A TSV field cannot hold a tab or a line break; the reviews are one line in the archive, but a user's own files
    // may not be. `<br />` is kept by default, as LRA feeds it to its models.
    private static string OneLine(string text, bool stripBreaks)
    {
        if (stripBreaks) text = text.Replace(LineBreak, " ", StringComparison.Ordinal);
        var builder = new StringBuilder(text.Length);
        foreach (var c in text) builder.Append(c is '\t' or '\r' or '\n' ? ' ' : c);
        return builder.ToString().Trim();
    }
}
