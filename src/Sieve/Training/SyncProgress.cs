// A progress sink that acts on the reporting thread, at once and in order (Progress<T> posts to the thread pool,
// so its lines can arrive after the command's own output).
namespace Sieve.Training;

/// <summary>Calls <paramref name="report"/> synchronously for every value.</summary>
public sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
