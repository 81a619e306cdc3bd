// Finds the small files the tests read (tests/fixtures: an RTE sample, bert-base-uncased's vocabulary, a tiny HF
// checkpoint with golden outputs), which live in the repository so that no test skips for want of them.
namespace Sieve.TestSupport;

/// <summary>Locates <c>tests/fixtures</c> in this checkout.</summary>
internal static class Fixtures
{
    /// <summary>The fixtures folder.</summary>
    public static string Root { get; } = Path.Combine(SharedData.RepositoryRoot, "tests", "fixtures");

    /// <summary>The full path of a file or folder under the fixtures folder; throws, naming it, when it is missing.</summary>
    public static string PathOf(string relative)
    {
        var path = Path.Combine(Root, relative);
        return File.Exists(path) || Directory.Exists(path) ? path
            : throw new FileNotFoundException($"the test fixture {relative} is missing from {Root}; see tests/fixtures/README.md.", path);
    }
}
