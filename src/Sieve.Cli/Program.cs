// Entry point of the `sieve` command. Builds the command tree and runs it; all work happens in the library.
// The culture is the invariant one, so numbers print the same (decimal point, no grouping) on every machine; large
// freed tensor buffers stay in the heap for reuse (Runtime/NativeHeap.cs: fresh mappings cost a page fault per 4 KiB).
using System.Globalization;
using Sieve.Cli;
using Sieve.Runtime;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
NativeHeap.KeepFreedBuffers();
return SieveCommand.Invoke(args);
