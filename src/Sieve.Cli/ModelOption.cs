// The `--model` option every command shares: an HF model folder, or the name of a built-in pre-trained model
// (`minilm`, `arctic-xs`), which is converted into the cache on first use with its progress on stderr.
using System.CommandLine;
using Sieve.Models;
using Sieve.Training;

namespace Sieve.Cli;

/// <summary>Declares and resolves <c>--model</c>.</summary>
internal static class ModelOption
{
    /// <summary>The names the help lists.</summary>
    public static string Names => string.Join(", ", BuiltInModels.All.Select(m => m.Name));

    /// <summary>A <c>--model</c> option; <paramref name="what"/> says what the folder is for.</summary>
    public static Option<string> Create(string what, bool required) => new("--model")
    {
        Description = $"{what}: an HF model folder (config.json, model.safetensors, vocab.txt) or a built-in pre-trained model ({Names}; see `sieve models list`).",
        Required = required,
    };

    /// <summary>The folder the option names, converting a built-in model on first use; null when the option is absent.</summary>
    public static string? Resolve(ParseResult parse, Option<string> option)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var value = parse.GetValue(option);
        if (value is null) return null;
        var error = parse.InvocationConfiguration.Error;
        return BuiltInModels.Resolve(value, new SyncProgress<string>(line => error.WriteLine($"  {line}")));
    }
}
