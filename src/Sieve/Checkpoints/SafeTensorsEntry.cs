// One tensor's line in a safetensors header: name, element type, shape and byte range in the data section.
namespace Sieve.Checkpoints;

/// <summary>
/// A validated header entry. <see cref="Begin"/> and <see cref="End"/> are byte offsets into the data section (which
/// starts right after the header), checked to lie inside the file and to match <see cref="DType"/> × <see cref="Shape"/>.
/// </summary>
public sealed record SafeTensorsEntry(string Name, SafeTensorsDType DType, IReadOnlyList<long> Shape, long Begin, long End)
{
    /// <summary>Length of the tensor's bytes.</summary>
    public long ByteLength => End - Begin;

    /// <summary>The shape as TorchSharp wants it.</summary>
    public long[] ShapeArray => [.. Shape];

    /// <summary>The shape written like <c>[768, 3072]</c>, for messages.</summary>
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}
