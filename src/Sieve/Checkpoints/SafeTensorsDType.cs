// The element types of the safetensors format (huggingface/safetensors, `Dtype`), by their header names.
namespace Sieve.Checkpoints;

/// <summary>
/// An element type as written in a safetensors header (<c>"F32"</c>, <c>"BF16"</c>, ...). Floating types load into
/// models; the integer and bool types are read so that files holding buffers (<c>position_ids</c> as I64) validate.
/// </summary>
public enum SafeTensorsDType
{
    F64,
    F32,
    F16,
    BF16,
    I64,
    I32,
    I16,
    I8,
    U8,
    Bool,
}
