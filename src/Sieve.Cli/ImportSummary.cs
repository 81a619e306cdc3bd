// What `sieve import onnx` and `sieve models export` wrote: the model folder and the config read off the graph.
using System.Globalization;
using System.Text.Json;
using Sieve.Onnx;

namespace Sieve.Cli;

/// <summary>A written model folder and its architecture.</summary>
internal sealed record ImportSummary(
    string Folder, int Layers, int Hidden, int Heads, int Intermediate, string Activation, double LayerNormEps,
    int VocabSize, int Positions, int TokenTypes, bool Pooler, long Parameters)
{
    public static ImportSummary Of(string folder, ImportedBert model)
    {
        var c = model.Config;
        return new ImportSummary(folder, c.NumHiddenLayers, c.HiddenSize, c.NumAttentionHeads, c.IntermediateSize, c.HiddenAct,
            c.LayerNormEps, c.VocabSize, c.MaxPositionEmbeddings, c.TypeVocabSize, model.HasPooler, model.ParameterCount);
    }

    /// <summary>Prints the summary as text or JSON.</summary>
    public void Write(TextWriter writer, OutputFormat format) =>
        writer.WriteLine(format == OutputFormat.Json ? JsonSerializer.Serialize(this, CommandRunner.Json) : Describe());

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"wrote {Folder}\n  BERT: {Layers} layers, hidden {Hidden}, {Heads} heads, intermediate {Intermediate}, {Activation}, LayerNorm eps {LayerNormEps:g}\n" +
        $"  vocabulary {VocabSize}, {Positions} positions, {TokenTypes} token types, {(Pooler ? "with pooler" : "no pooler")}; {Parameters / 1e6:0.0} M parameters");
}
