// The `sieve` command tree. Each sub-command lives in its own file and only parses, calls the library and prints.
// A usage error (an unknown option, a missing required one, a value a validator refuses) is one line and a hint on
// stderr with exit code 2, like every other error the user must fix, not the whole help text.
using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;

namespace Sieve.Cli;

/// <summary>Builds the root command of <c>sieve</c> and runs a command line through it.</summary>
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

    /// <summary>Parses and runs <paramref name="args"/>; a usage error prints "sieve COMMAND: errors" and a --help hint, and returns 2.</summary>
    public static int Invoke(string[] args, InvocationConfiguration? configuration = null)
    {
        var parse = Build().Parse(args);
        configuration ??= new InvocationConfiguration();
        // --help and --version clear parse errors (`sieve encode --help` lacks --model); only a real error lands here.
        if (parse.Action is not ParseErrorAction) return parse.Invoke(configuration);
        string command = CommandPath(parse.CommandResult);
        configuration.Error.WriteLine($"{command}: {string.Join(" ", parse.Errors.Select(e => e.Message))}");
        configuration.Error.WriteLine($"Run '{command} --help' for the options.");
        return CommandRunner.BadInput;
    }

    // "sieve patterns stats": the names from the root down to the command the parse reached.
    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? at = result; at is not null; at = at.Parent)
            if (at is CommandResult { Command: var command }) names.Add(command is RootCommand ? "sieve" : command.Name);
        names.Reverse();
        return string.Join(' ', names);
    }
}
