// An ONNX file that Sieve cannot turn into a BERT model folder: not ONNX, quantized, fused, or not BERT-shaped.
namespace Sieve.Onnx;

/// <summary>The ONNX model cannot be imported; the message says why and, where there is one, what to do instead.</summary>
public sealed class OnnxImportException : Exception
{
    public OnnxImportException()
    {
    }

    public OnnxImportException(string message) : base(message)
    {
    }

    public OnnxImportException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
