// An index over an ONNX graph (onnx.proto GraphProto): who produces and who consumes each value, the initializers,
// and the constant values that shape computations fold to (Constant nodes, Unsqueeze/Cast/Concat of constants).
using Onnx;

namespace Sieve.Onnx;

/// <summary>Walks an ONNX graph by value name.</summary>
internal sealed class OnnxGraph
{
    private readonly Dictionary<string, NodeProto> _producers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<NodeProto>> _consumers = new(StringComparer.Ordinal);
    private readonly string? _folder;

    public OnnxGraph(GraphProto graph, string? folder)
    {
        Graph = graph;
        _folder = folder;
        foreach (var node in graph.Node)
        {
            foreach (var output in node.Output) _producers[output] = node;
            foreach (var input in node.Input.Where(i => i.Length > 0))
            {
                if (!_consumers.TryGetValue(input, out var list)) _consumers[input] = list = [];
                list.Add(node);
            }
        }
        Initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    public GraphProto Graph { get; }

    /// <summary>Initializers by name.</summary>
    public IReadOnlyDictionary<string, TensorProto> Initializers { get; }

    /// <summary>The folder external data is read from (the model file's), or null for a model read from a stream.</summary>
    public string? Folder => _folder;

    public NodeProto? Producer(string value) => _producers.GetValueOrDefault(value);

    public IReadOnlyList<NodeProto> Consumers(string value) => _consumers.TryGetValue(value, out var list) ? list : [];

    /// <summary>The tensor a value holds when it is an initializer or a Constant node's output; null otherwise.</summary>
    public TensorProto? ConstantTensor(string value)
    {
        if (Initializers.TryGetValue(value, out var tensor)) return tensor;
        var node = Producer(value);
        return node is { OpType: "Constant" } ? node.Attribute.FirstOrDefault(a => a.Name == "value")?.T : null;
    }

    /// <summary>
    /// The integers a value folds to: an int64/int32 constant, or Unsqueeze/Squeeze/Cast/Identity of one, or a Concat of
    /// such parts. Null when any part depends on the input (a Shape of the batch, say).
    /// </summary>
    public long[]? ConstantIntegers(string value, int depth = 0)
    {
        if (depth > 16) return null;
        if (ConstantTensor(value) is { } tensor) return OnnxTensors.Integers(tensor, _folder);
        var node = Producer(value);
        if (node is null) return null;
        if (node.OpType is "Unsqueeze" or "Squeeze" or "Cast" or "Identity") return ConstantIntegers(node.Input[0], depth + 1);
        if (node.OpType == "Concat")
        {
            var parts = node.Input.Select(i => ConstantIntegers(i, depth + 1)).ToArray();
            return parts.Any(p => p is null) ? null : [.. parts.SelectMany(p => p!)];
        }
        return null;
    }

    /// <summary>A floating-point scalar a value holds (a constant or an initializer of one element), or null.</summary>
    public double? ConstantScalar(string value) => ConstantTensor(value) is { } tensor ? OnnxTensors.Scalar(tensor, _folder) : null;

    /// <summary>The node's integer attribute, or <paramref name="fallback"/> when absent.</summary>
    public static long IntAttribute(NodeProto node, string name, long fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } attribute ? attribute.I : fallback;

    /// <summary>The node's float attribute, or <paramref name="fallback"/> when absent.</summary>
    public static double FloatAttribute(NodeProto node, string name, double fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } attribute ? attribute.F : fallback;
}
