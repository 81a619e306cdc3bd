// Tests that depend on torch's process-wide random generator (dropout has no generator argument) run alone: a test
// class running in parallel that initialises a model would draw from the same generator and change their results.
namespace Sieve.Tests.Training;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalRandomCollection
{
    public const string Name = "torch global random generator";
}
