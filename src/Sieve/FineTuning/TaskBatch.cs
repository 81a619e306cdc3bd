// A padded batch of encoded examples as tensors, with the pattern contexts the model's layouts are built from.
using Sieve.Patterns;
using static TorchSharp.torch;

namespace Sieve.FineTuning;

/// <summary>B examples right-padded to the longest of them; owns its tensors.</summary>
public sealed class TaskBatch : IDisposable
{
    private TaskBatch(Tensor inputIds, Tensor tokenTypeIds, Tensor attentionMask, Tensor targets, IReadOnlyList<PatternContext> contexts, long tokens)
    {
        InputIds = inputIds;
        TokenTypeIds = tokenTypeIds;
        AttentionMask = attentionMask;
        Targets = targets;
        Contexts = contexts;
        Tokens = tokens;
    }

    /// <summary>Token ids [B, N].</summary>
    public Tensor InputIds { get; }

    /// <summary>Segments [B, N].</summary>
    public Tensor TokenTypeIds { get; }

    /// <summary>1 for real tokens, 0 for padding [B, N].</summary>
    public Tensor AttentionMask { get; }

    /// <summary>Class indices (int64) or scores (float32) [B].</summary>
    public Tensor Targets { get; }

    /// <summary>One pattern context per example.</summary>
    public IReadOnlyList<PatternContext> Contexts { get; }

    /// <summary>Real tokens in the batch (for tokens/s).</summary>
    public long Tokens { get; }

    /// <summary>The number of examples.</summary>
    public int Count => Contexts.Count;

    /// <summary>Pads <paramref name="examples"/> with <paramref name="padId"/> to the longest; regression targets become floats.</summary>
    public static TaskBatch Collate(IReadOnlyList<EncodedExample> examples, int padId, bool regression)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (examples.Count == 0) throw new ArgumentException("a batch needs at least one example.", nameof(examples));
        int batch = examples.Count, length = examples.Max(e => e.InputIds.Length);
        var ids = new long[batch * length];
        var types = new long[batch * length];
        var mask = new long[batch * length];
        Array.Fill(ids, padId);
        for (int b = 0; b < batch; b++)
        {
            var e = examples[b];
            for (int t = 0; t < e.InputIds.Length; t++)
            {
                ids[(b * length) + t] = e.InputIds[t];
                types[(b * length) + t] = e.TokenTypeIds[t];
                mask[(b * length) + t] = 1;
            }
        }
        var targets = regression
            ? tensor(examples.Select(e => (float)e.Target).ToArray())                           // [B]
            : tensor(examples.Select(e => double.IsNaN(e.Target) ? -100L : (long)e.Target).ToArray());   // [B]
        return new TaskBatch(
            tensor(ids).view(batch, length), tensor(types).view(batch, length), tensor(mask).view(batch, length), targets,
            [.. examples.Select(e => e.Context)], examples.Sum(e => (long)e.InputIds.Length));
    }

    public void Dispose()
    {
        InputIds.Dispose();
        TokenTypeIds.Dispose();
        AttentionMask.Dispose();
        Targets.Dispose();
    }
}
