// Runs the real `sieve` command tree in-process and captures what it printed: the one way the CLI tests invoke it.
using System.CommandLine;

namespace Sieve.Cli.Tests;

/// <summary>Invokes <c>sieve ARGS</c> with its output and error streams captured.</summary>
internal static class CliInvocation
{
    public static (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = SieveCommand.Invoke(args, new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }
}
