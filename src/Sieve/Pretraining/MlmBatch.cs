// A padded, masked batch of corpus lines as tensors (HF DataCollatorForLanguageModeling's output: input_ids with the
// corruption applied, labels with −100 where nothing is predicted), with the pattern contexts of its lines.
using Sieve.Patterns;
using static TorchSharp.torch;

namespace Sieve.Pretraining;

/// <summary>B lines right-padded to the longest of them and masked; owns its tensors.</summary>
public sealed class MlmBatch : IDisposable
{
    private MlmBatch(Tensor inputIds, Tensor tokenTypeIds, Tensor attentionMask, Tensor labels, IReadOnlyList<PatternContext> contexts,
        long tokens, int maskedTokens)
    {
        InputIds = inputIds;
        TokenTypeIds = tokenTypeIds;
        AttentionMask = attentionMask;
        Labels = labels;
        Contexts = contexts;
        Tokens = tokens;
        MaskedTokens = maskedTokens;
    }

    /// <summary>Corrupted token ids [B, N].</summary>
    public Tensor InputIds { get; }

    /// <summary>Segments [B, N] (all 0: one line is one segment).</summary>
    public Tensor TokenTypeIds { get; }

    /// <summary>1 for real tokens, 0 for padding [B, N].</summary>
    public Tensor AttentionMask { get; }

    /// <summary>The original id at chosen positions, −100 elsewhere [B, N] (int64).</summary>
    public Tensor Labels { get; }

    /// <summary>One pattern context per line.</summary>
    public IReadOnlyList<PatternContext> Contexts { get; }

    /// <summary>Real tokens in the batch (for tokens/s).</summary>
    public long Tokens { get; }

    /// <summary>Tokens chosen for prediction (labels other than −100).</summary>
    public int MaskedTokens { get; }

    /// <summary>The number of lines.</summary>
    public int Count => Contexts.Count;

    /// <summary>
    /// Pads <paramref name="lines"/> with <paramref name="padId"/> to the longest and masks them with
    /// <paramref name="random"/>: every real token except [CLS], [SEP] (the context's special tokens) may be chosen;
    /// padding never is.
    /// </summary>
    public static MlmBatch Collate(IReadOnlyList<EncodedLine> lines, int padId, int maskTokenId, int vocabularySize,
        MlmMaskingOptions masking, SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (lines.Count == 0) throw new ArgumentException("a batch needs at least one line.", nameof(lines));
        int batch = lines.Count, length = lines.Max(e => e.InputIds.Length);
        var ids = new long[batch * length];
        var labels = new long[batch * length];
        var mask = new long[batch * length];
        var maskable = new bool[batch * length];
        Array.Fill(ids, padId);
        for (int b = 0; b < batch; b++)
        {
            var line = lines[b];
            for (int t = 0; t < line.InputIds.Length; t++)
            {
                ids[(b * length) + t] = line.InputIds[t];
                mask[(b * length) + t] = 1;
                maskable[(b * length) + t] = true;
            }
            foreach (var special in line.Context.SpecialTokens ?? []) maskable[(b * length) + special] = false;
        }
        int chosen = MlmMasking.Apply(ids, labels, maskable, masking, maskTokenId, vocabularySize, random);
        return new MlmBatch(
            tensor(ids).view(batch, length),                    // [B, N]
            zeros(batch, length, ScalarType.Int64),             // [B, N]
            tensor(mask).view(batch, length),                   // [B, N]
            tensor(labels).view(batch, length),                 // [B, N]
            [.. lines.Select(e => e.Context)], lines.Sum(e => (long)e.InputIds.Length), chosen);
    }

    public void Dispose()
    {
        InputIds.Dispose();
        TokenTypeIds.Dispose();
        AttentionMask.Dispose();
        Labels.Dispose();
    }
}
