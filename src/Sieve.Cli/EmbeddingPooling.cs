// Which sentence embedding `sieve encode` prints (--embedding): sentence-transformers' mean or CLS pooling, or none.
namespace Sieve.Cli;

/// <summary>The pooling of <c>sieve encode --embedding</c>; both poolings are L2-normalised (SentenceEmbedding).</summary>
internal enum EmbeddingPooling
{
    /// <summary>The mean over the real tokens: all-MiniLM-L6-v2's documented sentence embedding.</summary>
    Mean,

    /// <summary>The [CLS] vector: snowflake-arctic-embed's.</summary>
    Cls,

    /// <summary>No sentence embedding.</summary>
    None,
}
