// A config.json that is missing, not JSON, or describes no model Sieve can build is one CheckpointException naming the
// file and what is wrong (issue 16): never a JsonException, an OverflowException, or an allocation of absurd size.
using Sieve.Checkpoints;
using Sieve.Modeling;

namespace Sieve.Tests.Modeling;

public sealed class BertConfigLoadTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sieve-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // The tiny valid config each case breaks one field of.
    private const string Valid = """
        {"model_type": "bert", "vocab_size": 30, "hidden_size": 8, "num_hidden_layers": 2, "num_attention_heads": 2,
         "intermediate_size": 16, "max_position_embeddings": 24, "type_vocab_size": 2, "hidden_act": "gelu"}
        """;

    private static string With(string field, string value) =>
        Valid.Replace($"\"{field}\": ", $"\"{field}\": {value}, \"_{field}\": ", StringComparison.Ordinal);

    /// <summary>(what is wrong, config.json text, a part of the message); a null text means no file at all.</summary>
    public static TheoryData<string, string?, string> BadConfigs => new()
    {
        { "missing file", null, "no such config file" },
        { "empty file", "", "" },
        { "not JSON", "this is not json", "" },
        { "a JSON array", "[1, 2]", "" },
        { "the literal null", "null", "null" },
        { "a string size", With("hidden_size", "\"768\""), "hidden_size" },
        { "a fractional size", With("hidden_size", "7.5"), "hidden_size" },
        { "a null size", With("num_hidden_layers", "null"), "num_hidden_layers" },
        { "a size past int", With("vocab_size", "1e30"), "vocab_size" },
        { "zero layers", With("num_hidden_layers", "0"), "num_hidden_layers must be positive" },
        { "negative heads", With("num_attention_heads", "-4"), "num_attention_heads must be positive" },
        { "hidden not divisible by heads", With("num_attention_heads", "3"), "not a multiple of num_attention_heads" },
        { "an unknown activation", With("hidden_act", "\"swish\""), "hidden_act 'swish'" },
        { "a null activation", With("hidden_act", "null"), "hidden_act" },
        { "a huge vocabulary", With("vocab_size", "2147483647"), "parameters" },
        { "huge positions", With("max_position_embeddings", "2000000000"), "parameters" },
        { "huge hidden size", With("hidden_size", "2000000000").Replace("\"num_attention_heads\": 2", "\"num_attention_heads\": 1", StringComparison.Ordinal), "parameters" },
        { "a million layers", With("num_hidden_layers", "1000000"), "num_hidden_layers" },
        { "a null model type", With("model_type", "null"), "model_type" },
        { "a wrongly shaped sieve section", Valid.Replace("{", "{\"sieve\": 5, ", StringComparison.Ordinal), "" },
        { "nesting past the reader's depth", Valid.Replace("{", "{\"x\": " + new string('[', 100) + new string(']', 100) + ", ", StringComparison.Ordinal), "" },
    };

    [Theory]
    [MemberData(nameof(BadConfigs))]
    public void ABadConfig_IsOneCheckpointException_NamingTheFile(string what, string? text, string expected)
    {
        string path = Path.Combine(_dir, "config.json");
        if (text is not null) File.WriteAllText(path, text);

        var error = Assert.Throws<CheckpointException>(() => BertConfig.Load(path));

        Assert.True(error.Message.Contains(path, StringComparison.Ordinal), $"{what}: {error.Message}");
        Assert.True(error.Message.Contains(expected, StringComparison.Ordinal), $"{what}: {error.Message}");
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void TheValidConfig_Loads()
    {
        string path = Path.Combine(_dir, "config.json");
        File.WriteAllText(path, Valid);
        Assert.Equal(8, BertConfig.Load(path).HiddenSize);
    }

    [Fact]
    public void AFolderGivenAsTheConfig_IsRefused()
    {
        var error = Assert.Throws<CheckpointException>(() => BertConfig.Load(_dir));
        Assert.Contains(_dir, error.Message, StringComparison.Ordinal);
    }
}
