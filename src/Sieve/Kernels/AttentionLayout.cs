// The layouts one attention call runs on: one CsrLayout per (example, head), or per example when all heads share the
// pattern, plus an optional additive float bias for the dense-capable kernels (learnable patterns pass gates that way).
using Sieve.Patterns;
using TorchSharp;
using static TorchSharp.torch;

namespace Sieve.Kernels;

/// <summary>
/// The allowed (query, key) pairs of a batch: <see cref="this[int, int]"/> gives the layout of one example and head.
/// Every layout has the same padded length N; padding rows are empty and padding keys are never allowed.
/// </summary>
public sealed class AttentionLayout
{
    private readonly CsrLayout[] _maps;
    private readonly Dictionary<(int Map, int BlockSize), BlockLayout> _blocks = [];

    /// <summary>
    /// Wraps <paramref name="maps"/>: <paramref name="batch"/> × <paramref name="heads"/> layouts in (example, head)
    /// order, or <paramref name="batch"/> layouts shared by every head when <paramref name="heads"/> is 1.
    /// </summary>
    public AttentionLayout(IReadOnlyList<CsrLayout> maps, int batch, int heads = 1, Tensor? bias = null)
    {
        ArgumentNullException.ThrowIfNull(maps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(heads);
        if (maps.Count != batch * heads)
            throw new ArgumentException($"expected {batch} × {heads} = {batch * heads} layouts (example-major), got {maps.Count}.", nameof(maps));
        int padded = maps[0].PaddedLength;
        if (maps.Any(m => m.PaddedLength != padded))
            throw new ArgumentException("every layout of a batch needs the same padded length; build them with one PatternContext.PaddedLength.", nameof(maps));
        if (bias is not null && (bias.Dimensions != 4 || bias.shape[2] != padded || bias.shape[3] != padded))
            throw new ArgumentException($"the bias must be [B or 1, H or 1, {padded}, {padded}], got [{string.Join(", ", bias.shape)}].", nameof(bias));
        _maps = [.. maps];
        Batch = batch;
        Heads = heads;
        PaddedLength = padded;
        Bias = bias;
    }

    /// <summary>B, the number of examples.</summary>
    public int Batch { get; }

    /// <summary>The number of distinct head layouts: H, or 1 when every head shares its example's layout.</summary>
    public int Heads { get; }

    /// <summary>N, the padded length every layout spans.</summary>
    public int PaddedLength { get; }

    /// <summary>An additive bias on the allowed scores, [B or 1, H or 1, N, N]; only Reference and Sdpa take it.</summary>
    public Tensor? Bias { get; }

    /// <summary>The layout of one example and head (head is ignored when heads share the layout).</summary>
    public CsrLayout this[int example, int head] => _maps[(example * Heads) + (Heads == 1 ? 0 : head)];

    /// <summary>All entries allowed across the batch and the distinct head layouts.</summary>
    public long Nnz => _maps.Sum(m => m.Nnz);

    /// <summary>Builds one layout per example and head from a pattern; heads share one layout unless <paramref name="perHead"/>.</summary>
    public static AttentionLayout Build(Pattern pattern, IReadOnlyList<int> lengths, int paddedLength, int heads = 1, bool perHead = false)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(lengths);
        int distinct = perHead ? heads : 1;
        var maps = new CsrLayout[lengths.Count * distinct];
        for (int b = 0; b < lengths.Count; b++)
        {
            for (int h = 0; h < distinct; h++)
                maps[(b * distinct) + h] = CsrLayout.Build(pattern, new PatternContext(lengths[b]) { PaddedLength = paddedLength, Example = b, Head = h });
        }
        return new AttentionLayout(maps, lengths.Count, distinct);
    }

    /// <summary>The block layout of one map at block size b, built once and cached.</summary>
    public BlockLayout Blocks(int example, int head, int blockSize)
    {
        int map = (example * Heads) + (Heads == 1 ? 0 : head);
        lock (_blocks)
        {
            if (!_blocks.TryGetValue((map, blockSize), out var layout))
                _blocks[(map, blockSize)] = layout = BlockLayout.Build(_maps[map], blockSize);
            return layout;
        }
    }

    /// <summary>The dense bool mask [B, H or 1, N, N], built from the CSR keys in O(nnz) plus the N² zero fill.</summary>
    /// <remarks>
    /// The keys are written into the mask's own bytes on the CPU: through an index tensor and <c>index_fill_</c> the
    /// mask of a nearly dense layout (BigBird's blocks at N = 512: 97 % of N²) took milliseconds more than a sparse one,
    /// which made Sdpa's time depend on the layout's density. Another device gets the CPU mask copied over.
    /// </remarks>
    public Tensor DenseMask(Device? device = null)
    {
        int n = PaddedLength;
        using var flat = torch.zeros([_maps.Length, n, n], ScalarType.Bool);          // [B·H, N, N]
        for (int map = 0; map < _maps.Length; map++)
        {
            // One map at a time, so that offsets stay within a span's int range (N² bytes, not B·H·N²).
            using var slice = flat[map];                                             // [N, N]
            var bytes = slice.bytes;
            var csr = _maps[map];
            for (int row = 0; row < n; row++)
            {
                var allowed = bytes.Slice(row * n, n);
                foreach (int key in csr.Row(row)) allowed[key] = 1;
            }
        }
        var mask = flat.view(Batch, Heads, n, n);                                     // [B, H or 1, N, N]
        if (device is null || device.type == DeviceType.CPU) return mask;
        using (mask)
            return mask.to(device);
    }
}
