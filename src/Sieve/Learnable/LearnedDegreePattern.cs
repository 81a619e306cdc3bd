// Learned neighbour degrees, Breaking BERT's LDPC-inspired method as reconstructed in METHODS.md §2.4 ([I]): a
// distribution over band widths d ∈ {0..D_max} per layer and head (or per query position), a soft band in training,
// the argmax band at the end.
using Sieve.Patterns;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sieve.Learnable;

/// <summary>
/// Gates M_ij = Σ_{d ≥ |i−j|} y_d with y = hard Gumbel-softmax(θ, τ) over degrees 0..D_max: with a one-hot y this is
/// exactly the band |i − j| ≤ d* (offset 0 always kept). Per position, row i uses its own y_i. Parameter
/// <c>logits</c>: [L, H, P, D_max + 1], P = 1 per head or max_length per position; initialised to 0 except the widest
/// degree at <see cref="GumbelOptions.InitialLogit"/>, so training starts from the widest band. Hardening takes argmax θ.
/// </summary>
public sealed class LearnedDegreePattern : LearnablePattern
{
    public LearnedDegreePattern(int layers, int heads, int maxDegree = 8, DegreeGranularity per = DegreeGranularity.Head, int maxLength = 512,
        Pattern? fixedPart = null, GumbelOptions? options = null, Device? device = null, ScalarType? dtype = null)
        : base(nameof(LearnedDegreePattern), options ?? new GumbelOptions(), fixedPart)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(layers);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(heads);
        ArgumentOutOfRangeException.ThrowIfNegative(maxDegree);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLength);
        Layers = layers;
        Heads = heads;
        MaxDegree = maxDegree;
        Per = per;
        MaxLength = maxLength;
        int positions = per == DegreeGranularity.Head ? 1 : maxLength;
        var initial = zeros([layers, heads, positions, maxDegree + 1], dtype: dtype, device: device);     // [L, H, P, D+1]
        initial.select(-1, maxDegree).FillInPlace(Options.InitialLogit);
        register_parameter("logits", nn.Parameter(initial));
    }

    /// <summary>The number of layers.</summary>
    public int Layers { get; }

    /// <summary>H, the heads of every layer.</summary>
    public int Heads { get; }

    /// <summary>D_max, the widest candidate band.</summary>
    public int MaxDegree { get; }

    /// <summary>Per head or per position.</summary>
    public DegreeGranularity Per { get; }

    /// <summary>Per position: the longest padded length that has logits.</summary>
    public int MaxLength { get; }

    /// <summary>The degree logits θ [L, H, P, D_max + 1].</summary>
    public Parameter Logits => get_parameter("logits")!;

    /// <summary>Gates [B, H, N, N]; <paramref name="hidden"/> is ignored.</summary>
    public override Tensor Gates(Tensor? hidden, int[] lengths, int paddedLength, int layer)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        if (layer < 0 || layer >= Layers)
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"this learned_degree pattern serves layers 0..{Layers - 1}, got layer {layer}.");
        if (Per == DegreeGranularity.Position && paddedLength > MaxLength)
            throw new ArgumentOutOfRangeException(nameof(paddedLength), paddedLength, $"learned_degree(per=position) has logits for {MaxLength} positions but the batch is padded to {paddedLength}; raise max_length.");
        using var scope = NewDisposeScope();
        var logits = Logits[layer];                                                        // [H, P, D+1]
        if (Per == DegreeGranularity.Position) logits = logits.narrow(1, 0, paddedLength);  // [H, N, D+1]
        var choice = CategoricalGates(logits);                                             // [H, P|N, D+1]
        var cover = choice.flip(-1).cumsum(-1).flip(-1);                                    // [H, P|N, D+1]  c_o = Σ_{d≥o} y_d
        var distance = Distances(paddedLength, logits.device);                              // [N, N]
        var inBand = distance.le(Scalars.Of(MaxDegree)).to(logits.dtype);                                   // [N, N]
        var index = distance.clamp_max(Scalars.Of(MaxDegree));                                              // [N, N]
        var band = Per == DegreeGranularity.Head
            ? cover.select(1, 0).index_select(1, index.flatten()).view(Heads, paddedLength, paddedLength) // [H, N, N]
            : cover.gather(2, index.unsqueeze(0).expand(Heads, paddedLength, paddedLength));            // [H, N, N]
        var learned = band.mul(inBand).unsqueeze(0);                                        // [1, H, N, N]
        return Finish(learned, lengths, paddedLength, layer).MoveToOuterDisposeScope();     // [B, H, N, N]
    }

    /// <summary>
    /// Per head local(d*) (+ fixed part); per position the union over degrees d of axis(rows = positions with d*=d) &amp;
    /// local(d), the row-wise band. heads(...) / layers(...) schedules where they differ.
    /// </summary>
    public override Pattern Harden()
    {
        var byLayer = new List<Pattern>();
        foreach (var layer in LearnedDegrees().GroupBy(d => d.Layer).OrderBy(g => g.Key))
        {
            var heads = layer.OrderBy(d => d.Head).Select(d => WithFixed(Band(d.Degrees))).ToArray();
            byLayer.Add(Schedule(ScheduleAxis.Heads, heads));
        }
        return Schedule(ScheduleAxis.Layers, byLayer);
    }

    /// <summary>The argmax degrees of every layer and head (one per head, or one per position).</summary>
    public IReadOnlyList<LearnedDegrees> LearnedDegrees()
    {
        using var scope = NewDisposeScope();
        var degrees = Logits.detach().argmax(-1).cpu();                                   // [L, H, P]
        long[] values = degrees.data<long>().ToArray();
        int positions = (int)degrees.shape[2];
        var result = new List<LearnedDegrees>();
        for (int l = 0; l < Layers; l++)
        {
            for (int h = 0; h < Heads; h++)
            {
                int start = ((l * Heads) + h) * positions;
                result.Add(new LearnedDegrees(l, h, [.. values.Skip(start).Take(positions).Select(v => (int)v)]));
            }
        }
        return result;
    }

    private Pattern Band(IReadOnlyList<int> degrees)
    {
        // One degree everywhere (per head, or per position with every position agreeing) is the plain band; batches
        // never exceed MaxLength, so the listed rows always cover every real row.
        if (Per == DegreeGranularity.Head || degrees.All(d => d == degrees[0])) return new LocalPattern(degrees[0]);
        Pattern? union = null;
        foreach (var group in degrees.Select((d, p) => (Degree: d, Position: p)).GroupBy(x => x.Degree).OrderBy(g => g.Key))
        {
            Pattern rows = new AxisPattern(group.Select(x => x.Position), []) & new LocalPattern(group.Key);
            union = union is null ? rows : union + rows;
        }
        return union!;
    }

    // The parameter is registered by hand under the name "logits" and always looked up by it (module.to(...) replaces it).
    protected override void RegisterComponents()
    {
    }
}
