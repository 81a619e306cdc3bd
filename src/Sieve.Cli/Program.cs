// Entry point of the `sieve` command. Builds the command tree and runs it; all work happens in the library.
using Sieve.Cli;

return SieveCommand.Build().Parse(args).Invoke();
