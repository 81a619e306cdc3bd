// The `sieve` command tree. Each sub-command lives in its own file and only parses, calls the library and prints.
using System.CommandLine;

namespace Sieve.Cli;

/// <summary>Builds the root command of <c>sieve</c>.</summary>
public static class SieveCommand
{
    /// <summary>The root command with every sub-command attached.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand(
            "Sieve: sparse attention for Transformer encoders. Pick or learn which tokens attend to which, " +
            "measure the sparsity exactly, and run it on sparse kernels.");
        root.Subcommands.Add(DemoCommand.Build());
        root.Subcommands.Add(PatternsCommand.Build());
        root.Subcommands.Add(EncodeCommand.Build());
        root.Subcommands.Add(DataCommand.Build());
        root.Subcommands.Add(BenchCommand.Build());
        root.Subcommands.Add(FineTuneCommand.Build());
        root.Subcommands.Add(ExperimentCommand.Build());
        root.Subcommands.Add(EvaluateCommand.Build());
        root.Subcommands.Add(PretrainCommand.Build());
        root.Subcommands.Add(ImportCommand.Build());
        root.Subcommands.Add(ExtendCommand.Build());
        root.Subcommands.Add(ModelsCommand.Build());
        return root;
    }
}
