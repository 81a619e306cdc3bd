// Finds the real data beside the checkout (../shared/data: the whole GLUE files). Only the tests about those whole files
// need it (the small files every other test reads are in tests/fixtures, see Fixtures); they are marked [SharedDataFact]
// and are skipped, with the reason, where it is absent. The project never needs it at run time.
namespace Sieve.TestSupport;

/// <summary>Locates <c>../shared/data</c> relative to the repository root (the folder holding Sieve.slnx).</summary>
internal static class SharedData
{
    /// <summary>The shared data folder, or null when this checkout has none beside it.</summary>
    public static string? Root { get; } = Find();

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The full path of a file or folder under the shared data folder; throws when the folder is absent.</summary>
    public static string PathOf(string relative) =>
        Path.Combine(Root ?? throw new InvalidOperationException("../shared/data is absent."), relative);

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Sieve.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"no Sieve.slnx above {AppContext.BaseDirectory}.");
    }

    private static string? Find()
    {
        var data = Path.GetFullPath(Path.Combine(FindRepositoryRoot(), "..", "shared", "data"));
        return Directory.Exists(data) ? data : null;
    }
}

/// <summary>A fact that is skipped, saying why, when ../shared/data is absent.</summary>
internal sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute()
    {
        if (SharedData.Root is null) Skip = "../shared/data is not beside this checkout (the whole real GLUE files live there; every other test reads tests/fixtures).";
    }
}

/// <summary>A theory that is skipped, saying why, when ../shared/data is absent.</summary>
internal sealed class SharedDataTheoryAttribute : TheoryAttribute
{
    public SharedDataTheoryAttribute()
    {
        if (SharedData.Root is null) Skip = "../shared/data is not beside this checkout (the whole real GLUE files live there; every other test reads tests/fixtures).";
    }
}
