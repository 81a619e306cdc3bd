// Entry point of the `sieve` command. Builds the command tree and runs it; all work happens in the library.
// The culture is the invariant one, so numbers print the same (decimal point, no grouping) on every machine.
using System.Globalization;
using Sieve.Cli;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
return SieveCommand.Invoke(args);
