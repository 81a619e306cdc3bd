// The `auto` kernel (DESIGN.md §1: "an automatic choice per batch from a calibrated cost model is fine, a sticky
// fallback is not"): every call estimates each exact kernel's time and delegates to the cheapest; nothing carries over.
using TorchSharp;
using static TorchSharp.torch;

namespace Sieve.Kernels;

/// <summary>
/// Delegates each <see cref="Attend"/> to the kernel that <see cref="Model"/> says is cheapest for that call's shape
/// and layout: Sdpa, BlockSparse, Banded or Csr (Reference is the specification, never a choice). All compute the same function,
/// so the choice never changes the result. A layout with a bias goes to Sdpa, the one candidate that takes a bias; Csr is
/// considered only for float32/float64 on the CPU, Banded only for layouts that split into a band. The choice is made afresh per call and reported, never cached.
/// </summary>
public sealed class AutoKernel : AttentionKernel
{
    private readonly SdpaKernel _sdpa = new();
    private readonly BlockSparseKernel _blockSparse;
    private readonly CsrKernel _csr = new();
    private readonly BandedKernel _banded = new();
    private AutoKernelChoice? _last;

    /// <summary>An auto kernel over <paramref name="model"/>; without one, the calibration at the default path or the built-in default.</summary>
    public AutoKernel(AttentionCostModel? model = null)
    {
        Model = model ?? AttentionCostModel.LoadOrDefault();
        _blockSparse = new BlockSparseKernel(new BlockSparseOptions { BlockSize = Model.BlockSize });
    }

    /// <summary>
    /// How much faster than Sdpa a sparse kernel's estimate must be for Auto to choose it: estimates within this share of
    /// Sdpa's go to Sdpa. The fitted lines are straight lines through kernels whose fixed costs are not (Banded's global
    /// rows and columns, BlockSparse's grouping), and at the lengths where they cross Sdpa (N ≈ 256 for a window of ±64)
    /// they missed by 10–20 %; there Banded ran 10–20 % slower than Sdpa in four of five suite runs while its line said
    /// 7 % faster (docs/BENCHMARKS.md). Sdpa's time depends on N alone, so it is the safe side of a close call.
    /// </summary>
    public const double SparseMargin = 0.10;

    /// <summary>The cost model the choices come from.</summary>
    public AttentionCostModel Model { get; }

    public override AttentionKernelKind Kind => AttentionKernelKind.Auto;

    /// <summary>The choice of the most recent call (on any thread); for logging only, it never influences the next call.</summary>
    public AutoKernelChoice? LastChoice => Volatile.Read(ref _last);

    /// <summary>Raised on every call with the choice just made, before the chosen kernel runs.</summary>
    public event EventHandler<AutoKernelChoice>? Chose;

    public override Tensor Attend(Tensor q, Tensor k, Tensor v, AttentionLayout layout) =>
        Chosen(q, k, v, layout).Attend(q, k, v, layout);                           // [B, H, N, D]

    public override Tensor AttendOverQueries(Tensor q, Tensor k, Tensor v, AttentionLayout layout) =>
        Chosen(q, k, v, layout).AttendOverQueries(q, k, v, layout);                // [B, H, N, D]

    // The kernel this call goes to, the choice recorded and reported.
    private AttentionKernel Chosen(Tensor q, Tensor k, Tensor v, AttentionLayout layout)
    {
        CheckShapes(q, k, v, layout);
        var choice = ChooseChecked(q, k, v, layout);
        Volatile.Write(ref _last, choice);
        Chose?.Invoke(this, choice);
        return KernelOf(choice.Kernel);
    }

    /// <summary>The choice <see cref="Attend"/> would make for these inputs, without running anything.</summary>
    public AutoKernelChoice Choose(Tensor q, Tensor k, Tensor v, AttentionLayout layout)
    {
        CheckShapes(q, k, v, layout);
        return ChooseChecked(q, k, v, layout);
    }

    // Choose on inputs already checked: at GLUE lengths the whole call is well under a millisecond, and each shape read
    // is a native call, so a second check is a measurable share of Auto's overhead over Sdpa.
    private AutoKernelChoice ChooseChecked(Tensor q, Tensor k, Tensor v, AttentionLayout layout)
    {
        // Gradients will flow only when autograd is on and some input asks for them: then a training step is costed.
        bool training = is_grad_enabled() && (q.requires_grad || k.requires_grad || v.requires_grad);
        var candidates = Candidates(q, layout);
        var lines = training ? Model.TrainStep : Model.Forward;
        var features = AttentionCostFeatures.Of(q, layout, Model.BlockSize,
            countTiles: candidates.Contains(AttentionKernelKind.BlockSparse) && lines.ContainsKey(AttentionKernelKind.BlockSparse),
            banded: candidates.Contains(AttentionKernelKind.Banded) && lines.ContainsKey(AttentionKernelKind.Banded) ? _banded.Options : null);
        var estimates = new Dictionary<AttentionKernelKind, double>();
        foreach (var kind in candidates)
        {
            if (Model.Estimate(kind, features, training) is double ms) estimates[kind] = ms;
        }
        // Candidates are in tie-break order; Sdpa runs every case, so it is the choice when the model covers none, and
        // when the cheapest sparse kernel is not clearly cheaper (SparseMargin).
        var best = AttentionKernelKind.Sdpa;
        double bestMs = double.PositiveInfinity;
        foreach (var (kind, ms) in estimates)
        {
            if (ms < bestMs) (best, bestMs) = (kind, ms);
        }
        if (best != AttentionKernelKind.Sdpa && estimates.TryGetValue(AttentionKernelKind.Sdpa, out double dense) && bestMs > (1 - SparseMargin) * dense)
            best = AttentionKernelKind.Sdpa;
        return new AutoKernelChoice(best, training, estimates);
    }

    private static List<AttentionKernelKind> Candidates(Tensor q, AttentionLayout layout)
    {
        if (layout.Bias is not null) return [AttentionKernelKind.Sdpa];
        var kinds = new List<AttentionKernelKind> { AttentionKernelKind.Sdpa, AttentionKernelKind.BlockSparse, AttentionKernelKind.Banded };
        // The Csr kernel computes in managed arrays: on another device it would copy q, k, v to the CPU and back.
        if (q.device.type == DeviceType.CPU && q.dtype is ScalarType.Float32 or ScalarType.Float64)
            kinds.Add(AttentionKernelKind.Csr);
        return kinds;
    }

    private AttentionKernel KernelOf(AttentionKernelKind kind) => kind switch
    {
        AttentionKernelKind.Sdpa => _sdpa,
        AttentionKernelKind.BlockSparse => _blockSparse,
        AttentionKernelKind.Csr => _csr,
        AttentionKernelKind.Banded => _banded,
        _ => throw new InvalidOperationException($"the auto kernel never delegates to {kind}."),
    };
}
