// Reads a BERT-family ONNX export (PyTorch's torch.onnx / optimum, plain ONNX operators, fp32) into HF key names and a
// config read off the graph. Named initializers map directly; PyTorch folds each Linear's transposed weight into an
// anonymous MatMul initializer ([in, out]), which is placed by walking MatMul → Add(bias) to the bias's name.
using System.Globalization;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Onnx;
using Sieve.Data;
using Sieve.Modeling;

namespace Sieve.Onnx;

/// <summary>Turns an ONNX <c>ModelProto</c> of a BERT encoder into an <see cref="ImportedBert"/>.</summary>
public static partial class OnnxBertReader
{
    // The parameters of HF's BertModel (with pooler), by key; Linear layers are the ones a MatMul/Gemm consumes.
    [GeneratedRegex(@"^(embeddings\.(word|position|token_type)_embeddings\.weight|embeddings\.LayerNorm\.(weight|bias)|encoder\.layer\.\d+\.(attention\.self\.(query|key|value)|attention\.output\.dense|intermediate\.dense|output\.dense|attention\.output\.LayerNorm|output\.LayerNorm)\.(weight|bias)|pooler\.dense\.(weight|bias))$")]
    private static partial Regex BertKey();

    [GeneratedRegex(@"^encoder\.layer\.(\d+)\.")]
    private static partial Regex LayerIndex();

    // Operators of quantized graphs: their weights are not float32 BERT weights.
    private static readonly HashSet<string> _quantizedOps = ["QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear", "MatMulInteger", "QLinearMatMul", "ConvInteger", "QLinearConv", "MatMulNBits"];

    /// <summary>Reads the ONNX file at <paramref name="path"/> (external data is looked up beside it).</summary>
    /// <exception cref="OnnxImportException">The file is not ONNX, or not a plain fp32 BERT export; the message says which.</exception>
    public static ImportedBert Read(string path, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new OnnxImportException($"{path}: no such ONNX file.");
        if (RegularFile.Problem(path, "the ONNX file") is { } problem) throw new OnnxImportException(problem);
        using var stream = File.OpenRead(path);
        return Read(stream, Path.GetDirectoryName(Path.GetFullPath(path)), path, progress);
    }

    /// <summary>Reads an ONNX model from <paramref name="stream"/>; <paramref name="folder"/> holds its external data, if any.</summary>
    public static ImportedBert Read(Stream stream, string? folder, string source, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        progress?.Report($"reading {Path.GetFileName(source)}");
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(stream);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new OnnxImportException($"{source} is not an ONNX model (its protobuf does not parse: {e.Message}).", e);
        }
        if (model.Graph is null || model.Graph.Node.Count == 0)
            throw new OnnxImportException($"{source} holds no ONNX graph (no nodes); is it an ONNX model file?");

        progress?.Report("walking the graph");
        var graph = new OnnxGraph(model.Graph, folder);
        RefuseUnsupported(graph, source);
        var placed = PlaceWeights(graph, source);
        var config = ReadConfig(graph, placed, source);
        CheckComplete(graph, config, placed, source);

        progress?.Report("converting the weights");
        var weights = placed.ToDictionary(p => p.Key, p => Convert(graph, p.Value), StringComparer.Ordinal);
        return new ImportedBert(config, weights, placed.ContainsKey("pooler.dense.weight"), source);
    }

    // Where an HF key's values come from: an initializer, transposed when it is stored [in, out].
    private sealed record Placement(string Initializer, bool Transpose);

    private static void RefuseUnsupported(OnnxGraph graph, string source)
    {
        foreach (var node in graph.Graph.Node)
        {
            if (node.Domain is not ("" or "ai.onnx"))
                throw new OnnxImportException($"{source} uses the operator {node.Domain}.{node.OpType}: it is an ONNX Runtime-optimised (fused) or custom graph. Import the plain export instead (torch.onnx.export, or optimum-cli export onnx without --optimize).");
            if (_quantizedOps.Contains(node.OpType))
                throw new OnnxImportException($"{source} is quantized (it uses {node.OpType}); Sieve imports float32 exports only. Import the unquantized model.");
        }
        foreach (var tensor in graph.Initializers.Values)
        {
            var type = (TensorProto.Types.DataType)tensor.DataType;
            if (type is TensorProto.Types.DataType.Float or TensorProto.Types.DataType.Int64 or TensorProto.Types.DataType.Int32 or TensorProto.Types.DataType.Bool) continue;
            var why = type switch
            {
                TensorProto.Types.DataType.Float16 or TensorProto.Types.DataType.Bfloat16 => "half precision; export the model in float32",
                TensorProto.Types.DataType.Int8 or TensorProto.Types.DataType.Uint8 => "a quantized weight; import the unquantized float32 model",
                _ => "a type Sieve does not import; export the model in float32",
            };
            throw new OnnxImportException($"{source}: initializer '{tensor.Name}' is {OnnxTensors.DataTypeName(tensor.DataType)} ({why}).");
        }
    }

    // Every float32 initializer with more than one value must become exactly one HF key; single values are graph
    // constants (eps, scales). Anything else is an error that names the initializer.
    private static Dictionary<string, Placement> PlaceWeights(OnnxGraph graph, string source)
    {
        var placed = new Dictionary<string, Placement>(StringComparer.Ordinal);
        void Place(string key, string initializer, bool transpose)
        {
            if (placed.TryGetValue(key, out var earlier))
                throw new OnnxImportException($"{source}: initializers '{earlier.Initializer}' and '{initializer}' both hold {key}; the graph is not a plain BERT export.");
            placed[key] = new Placement(initializer, transpose);
        }

        var weights = graph.Initializers.Values.Where(t => t.DataType == (int)TensorProto.Types.DataType.Float && OnnxTensors.ElementCount(t) > 1).ToList();
        foreach (var tensor in weights)
        {
            var key = HfKey(tensor.Name);
            if (key is not null)
                Place(key, tensor.Name, IsStoredInputMajor(graph, tensor.Name));
            else if (LinearKeyOfAnonymous(graph, tensor.Name) is { } linear)
                Place(linear.Key, tensor.Name, linear.Transpose);
            else
            {
                var users = graph.Consumers(tensor.Name);
                var use = users.Count == 0 ? "no node uses it" : $"used by {string.Join(", ", users.Select(n => n.OpType).Distinct())}";
                throw new OnnxImportException($"{source}: initializer '{tensor.Name}' [{string.Join(", ", tensor.Dims)}] is no BERT weight Sieve can place ({use}). Sieve imports BERT encoders (BertModel, with or without pooler); a task head or another architecture is not supported.");
            }
        }
        if (!placed.ContainsKey("embeddings.word_embeddings.weight"))
            throw new OnnxImportException($"{source} has no embeddings.word_embeddings.weight initializer; it is not a BERT-family export.");
        return placed;
    }

    // HF's key for an initializer name: BertModel's own, or under a task model's "bert." prefix.
    private static string? HfKey(string name)
    {
        var key = name.StartsWith(BertKeyPrefix, StringComparison.Ordinal) ? name[BertKeyPrefix.Length..] : name;
        return BertKey().IsMatch(key) ? key : null;
    }

    private const string BertKeyPrefix = "bert.";

    // A named Linear weight is [out, in] as in PyTorch, unless the graph multiplies by it directly (MatMul, or Gemm
    // without transB): then it is stored [in, out].
    private static bool IsStoredInputMajor(OnnxGraph graph, string name) =>
        graph.Consumers(name).Any(n => (n.OpType == "MatMul" && n.Input[1] == name) || (n.OpType == "Gemm" && n.Input[1] == name && OnnxGraph.IntAttribute(n, "transB", 0) == 0));

    // An anonymous weight (onnx::MatMul_123, 927) multiplied in a MatMul whose result gets a named bias added, or the B
    // of a Gemm with a named C: it is that Linear layer's weight.
    private static (string Key, bool Transpose)? LinearKeyOfAnonymous(OnnxGraph graph, string name)
    {
        foreach (var node in graph.Consumers(name))
        {
            if (node.OpType == "Gemm" && node.Input.Count > 2 && node.Input[1] == name && BiasKey(node.Input[2]) is { } gemmBias)
                return (gemmBias, OnnxGraph.IntAttribute(node, "transB", 0) == 0);
            if (node.OpType != "MatMul" || node.Input[1] != name) continue;
            foreach (var add in graph.Consumers(node.Output[0]).Where(n => n.OpType == "Add"))
            {
                var other = add.Input[0] == node.Output[0] ? add.Input[1] : add.Input[0];
                if (BiasKey(other) is { } bias) return (bias, true);
            }
        }
        return null;
    }

    // "….dense.bias" → "….dense.weight" for a Linear layer's bias initializer.
    private static string? BiasKey(string initializer) =>
        HfKey(initializer) is { } key && key.EndsWith(".bias", StringComparison.Ordinal) && !key.Contains("LayerNorm", StringComparison.Ordinal)
            ? key[..^"bias".Length] + "weight"
            : null;

    private static BertConfig ReadConfig(OnnxGraph graph, Dictionary<string, Placement> placed, string source)
    {
        long[] Shape(string key) => HfShape(graph, placed[FindKey(placed, key, source)]);

        var word = Shape("embeddings.word_embeddings.weight");
        var hidden = checked((int)word[1]);
        var layers = placed.Keys.Select(k => LayerIndex().Match(k)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).DefaultIfEmpty(-1).Max() + 1;
        if (layers == 0) throw new OnnxImportException($"{source} has embeddings but no encoder.layer.N weights; it is not a BERT encoder export.");
        var heads = ReadHeads(graph, placed, hidden, source);
        return new BertConfig
        {
            Architectures = ["BertModel"],
            VocabSize = checked((int)word[0]),
            HiddenSize = hidden,
            NumHiddenLayers = layers,
            NumAttentionHeads = heads,
            IntermediateSize = checked((int)Shape("encoder.layer.0.intermediate.dense.bias")[0]),
            HiddenAct = ReadActivation(graph, placed, source),
            MaxPositionEmbeddings = checked((int)Shape("embeddings.position_embeddings.weight")[0]),
            TypeVocabSize = checked((int)Shape("embeddings.token_type_embeddings.weight")[0]),
            LayerNormEps = ReadLayerNormEps(graph, placed, source),
        };
    }

    // The query projection is reshaped to [B, N, heads, head size] before the scores: the last two entries of that
    // Reshape's shape are constants in the graph (-1 for one of them is allowed).
    private static int ReadHeads(OnnxGraph graph, Dictionary<string, Placement> placed, int hidden, string source)
    {
        var bias = FindInitializer(placed, "encoder.layer.0.attention.self.query.bias", source);
        foreach (var add in graph.Consumers(bias).Where(n => n.OpType == "Add"))
        {
            foreach (var reshape in graph.Consumers(add.Output[0]).Where(n => n.OpType == "Reshape"))
            {
                var dims = ShapeEntries(graph, reshape.Input[1]);
                if (dims is not { Length: 4 }) continue;
                long? heads = dims[2], size = dims[3];
                if (heads is -1 && size > 0) heads = hidden / size;
                if (size is -1 && heads > 0) size = hidden / heads;
                if (heads > 0 && size > 0 && heads * size == hidden) return checked((int)heads.Value);
                throw new OnnxImportException($"{source}: the query is reshaped to {heads} heads of {size}, which does not make hidden size {hidden}.");
            }
        }
        throw new OnnxImportException($"{source}: cannot find the number of attention heads (no Reshape of layer 0's query to [B, N, heads, head size] with constant heads).");
    }

    // The entries of a shape value: constants where the graph folds them, null where they depend on the input. A Concat
    // of one-element parts (Unsqueeze(Gather(Shape(x))) and constants) is what PyTorch writes for view(B, N, H, D).
    private static long?[]? ShapeEntries(OnnxGraph graph, string value)
    {
        if (graph.ConstantIntegers(value) is { } all) return [.. all.Select(v => (long?)v)];
        var node = graph.Producer(value);
        if (node is not { OpType: "Concat" }) return null;
        return [.. node.Input.SelectMany(i => graph.ConstantIntegers(i) is { } part ? part.Select(v => (long?)v) : [null])];
    }

    // GELU with erf (HF "gelu"), its tanh approximation ("gelu_new") or ReLU: told apart by the operators between the
    // intermediate dense layer and the output dense layer of layer 0.
    private static string ReadActivation(OnnxGraph graph, Dictionary<string, Placement> placed, string source)
    {
        var bias = FindInitializer(placed, "encoder.layer.0.intermediate.dense.bias", source);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<string>(graph.Consumers(bias).Where(n => n.OpType == "Add").Select(n => n.Output[0]));
        var ops = new HashSet<string>(StringComparer.Ordinal);
        while (pending.Count > 0 && seen.Count < 64)
        {
            var value = pending.Dequeue();
            if (!seen.Add(value)) continue;
            foreach (var node in graph.Consumers(value))
            {
                if (node.OpType is "MatMul" or "Gemm") continue;
                ops.Add(node.OpType);
                foreach (var output in node.Output) pending.Enqueue(output);
            }
        }
        if (ops.Contains("Erf")) return "gelu";
        if (ops.Contains("Tanh")) return "gelu_new";
        if (ops.Contains("Relu")) return "relu";
        if (ops.Contains("Gelu")) return "gelu";
        throw new OnnxImportException($"{source}: the feed-forward activation is not one Sieve knows (operators {string.Join(", ", ops.Order())}); Sieve supports GELU (erf or tanh) and ReLU.");
    }

    // LayerNormalization's epsilon attribute, or the constant added to the variance before Sqrt in the decomposed form
    // (Mul(Div(x − mean, Sqrt(var + eps)), weight)).
    private static double ReadLayerNormEps(OnnxGraph graph, Dictionary<string, Placement> placed, string source)
    {
        var weight = FindInitializer(placed, "embeddings.LayerNorm.weight", source);
        foreach (var node in graph.Consumers(weight))
        {
            if (node.OpType == "LayerNormalization") return OnnxGraph.FloatAttribute(node, "epsilon", 1e-5);
            if (node.OpType != "Mul") continue;
            var normalised = graph.Producer(node.Input[0] == weight ? node.Input[1] : node.Input[0]);
            var sqrt = normalised is { OpType: "Div" } ? graph.Producer(normalised.Input[1]) : null;
            var add = sqrt is { OpType: "Sqrt" } ? graph.Producer(sqrt.Input[0]) : null;
            if (add is not { OpType: "Add" }) continue;
            // The graph computes in float32: keep the shortest decimal of that float (1e-12, not 9.99999996e-13).
            if ((graph.ConstantScalar(add.Input[1]) ?? graph.ConstantScalar(add.Input[0])) is { } eps)
                return double.Parse(((float)eps).ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        }
        throw new OnnxImportException($"{source}: cannot read the LayerNorm epsilon (embeddings.LayerNorm is neither a LayerNormalization node nor the decomposed mean/variance/Sqrt form).");
    }

    private static string FindInitializer(Dictionary<string, Placement> placed, string key, string source) =>
        placed[FindKey(placed, key, source)].Initializer;

    private static string FindKey(Dictionary<string, Placement> placed, string key, string source) =>
        placed.ContainsKey(key) ? key : throw new OnnxImportException($"{source} has no initializer for {key}; it is not a complete BERT export.");

    // The shape a placed weight has in HF's layout (after the transpose of an [in, out] matrix).
    private static long[] HfShape(OnnxGraph graph, Placement placement)
    {
        var shape = OnnxTensors.Shape(graph.Initializers[placement.Initializer]);
        return placement.Transpose ? [.. shape.Reverse()] : shape;
    }

    // Every weight of a BertModel of this config must be there, with HF's shape; the pooler is all or nothing.
    private static void CheckComplete(OnnxGraph graph, BertConfig config, Dictionary<string, Placement> placed, string source)
    {
        var expected = ExpectedShapes(config, placed.ContainsKey("pooler.dense.weight") || placed.ContainsKey("pooler.dense.bias"));
        var missing = expected.Keys.Where(k => !placed.ContainsKey(k)).ToList();
        if (missing.Count > 0)
            throw new OnnxImportException($"{source} lacks {missing.Count} weight(s) of a {config.NumHiddenLayers}-layer BERT: {string.Join(", ", missing.Take(5))}{(missing.Count > 5 ? ", …" : "")}.");
        var extra = placed.Keys.Where(k => !expected.ContainsKey(k)).ToList();
        if (extra.Count > 0)
            throw new OnnxImportException($"{source} has weights beyond a {config.NumHiddenLayers}-layer BERT: {string.Join(", ", extra.Take(5))}.");
        foreach (var (key, shape) in expected)
        {
            var actual = HfShape(graph, placed[key]);
            if (!actual.SequenceEqual(shape))
                throw new OnnxImportException($"{source}: {key} (initializer '{placed[key].Initializer}') has shape [{string.Join(", ", actual)}], but a BERT of hidden size {config.HiddenSize} needs [{string.Join(", ", shape)}].");
        }
    }

    /// <summary>The HF <c>BertModel</c> state-dict keys of <paramref name="config"/> and their shapes.</summary>
    public static IReadOnlyDictionary<string, long[]> ExpectedShapes(BertConfig config, bool pooler)
    {
        ArgumentNullException.ThrowIfNull(config);
        long h = config.HiddenSize, i = config.IntermediateSize;
        var shapes = new Dictionary<string, long[]>(StringComparer.Ordinal)
        {
            ["embeddings.word_embeddings.weight"] = [config.VocabSize, h],
            ["embeddings.position_embeddings.weight"] = [config.MaxPositionEmbeddings, h],
            ["embeddings.token_type_embeddings.weight"] = [config.TypeVocabSize, h],
            ["embeddings.LayerNorm.weight"] = [h],
            ["embeddings.LayerNorm.bias"] = [h],
        };
        for (var layer = 0; layer < config.NumHiddenLayers; layer++)
        {
            var p = $"encoder.layer.{layer}.";
            foreach (var name in new[] { "attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense" })
            {
                shapes[p + name + ".weight"] = [h, h];
                shapes[p + name + ".bias"] = [h];
            }
            shapes[p + "intermediate.dense.weight"] = [i, h];
            shapes[p + "intermediate.dense.bias"] = [i];
            shapes[p + "output.dense.weight"] = [h, i];
            shapes[p + "output.dense.bias"] = [h];
            foreach (var norm in new[] { "attention.output.LayerNorm", "output.LayerNorm" })
            {
                shapes[p + norm + ".weight"] = [h];
                shapes[p + norm + ".bias"] = [h];
            }
        }
        if (pooler)
        {
            shapes["pooler.dense.weight"] = [h, h];
            shapes["pooler.dense.bias"] = [h];
        }
        return shapes;
    }

    private static ImportedTensor Convert(OnnxGraph graph, Placement placement)
    {
        var tensor = graph.Initializers[placement.Initializer];
        var values = OnnxTensors.Floats(tensor, graph.Folder);
        var shape = OnnxTensors.Shape(tensor);
        if (!placement.Transpose) return new ImportedTensor(values, shape);
        if (shape.Length != 2) throw new OnnxImportException($"initializer '{tensor.Name}' is multiplied as a matrix but has shape [{string.Join(", ", shape)}].");
        int rows = checked((int)shape[0]), cols = checked((int)shape[1]);
        var transposed = new float[values.Length];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++)
                transposed[(c * rows) + r] = values[(r * cols) + c];
        return new ImportedTensor(transposed, [cols, rows]);
    }
}
