// What every `sieve` command shares: user errors become one line on stderr and exit code 2 (never a stack trace),
// and JSON output uses one set of options (camelCase, indented, specs left readable).
using System.CommandLine;
using System.Text.Json;
using Sieve.Checkpoints;
using Sieve.Onnx;
using Sieve.Patterns;
using Sieve.Training;
using Spectre.Console;

namespace Sieve.Cli;

/// <summary>Runs a command's action with Sieve's error convention.</summary>
internal static class CommandRunner
{
    /// <summary>Exit code of input the user must fix: a bad spec, a missing file, a rejected argument.</summary>
    public const int BadInput = 2;

    /// <summary>Exit code of work the user stopped with Ctrl-C (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;

    /// <summary>JSON output options. Relaxed escaping keeps specs readable ("local(2)+global(1)"); the output is not HTML.</summary>
    public static JsonSerializerOptions Json { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Runs <paramref name="action"/>; an error the user can fix prints "sieve NAME: message" on stderr and returns 2.</summary>
    public static int Run(ParseResult parse, string name, Func<int> action)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(action);
        var error = parse.InvocationConfiguration.Error;
        try
        {
            return action();
        }
        catch (OperationCanceledException)
        {
            error.WriteLine($"sieve {name}: stopped by the user.");
            return Cancelled;
        }
        catch (Exception exception) when (exception is SpecException or CheckpointException or OnnxImportException or RunFolderException
            or ArgumentException or InvalidOperationException or NotSupportedException or FormatException or IOException or InvalidDataException
            or UnauthorizedAccessException or JsonException)
        {
            error.WriteLine($"sieve {name}: {Describe(exception)}");
            return BadInput;
        }
    }

    /// <summary>Plain text on whatever writer the invocation gives (a terminal, a file, a test); wide enough for long specs.</summary>
    public static IAnsiConsole PlainConsole(TextWriter writer, int width = 160)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = width;
        return console;
    }

    // ArgumentException appends " (Parameter 'x')", and ArgumentOutOfRangeException a second line "Actual value was v.",
    // which tell a command-line user nothing (the messages name the value themselves) and break the one-line rule.
    private static string Describe(Exception exception)
    {
        var message = exception is ArgumentException { ParamName: { } parameter } argument
            ? argument.Message.Replace($" (Parameter '{parameter}')", "", StringComparison.Ordinal)
            : exception.Message;
        if (exception is ArgumentOutOfRangeException)
            message = string.Join('\n', message.Split('\n').Where(line => !line.StartsWith("Actual value was ", StringComparison.Ordinal))).TrimEnd();
        return message;
    }
}
