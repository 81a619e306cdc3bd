// The auto kernel's cost model: per exact kernel, a forward line and a forward+backward line (KernelCost), fitted once
// per machine by `sieve bench calibrate` and stored as JSON at $SIEVE_HOME/calibration.json (~/.sieve/calibration.json).
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sieve.Kernels;

/// <summary>
/// Estimated times of the Sdpa, BlockSparse, Banded and Csr kernels from <see cref="AttentionCostFeatures"/>. The file format
/// (<see cref="FormatName"/>) is <c>{"format", "created", "machine", "blockSize", "forward": {kernel: cost},
/// "trainStep": {kernel: cost}}</c> with cost = <c>{"interceptMs", "perRowMs", "perWorkMs", "perMaskedWorkMs"}</c> (the
/// last optional, 0 when absent: files written before it existed still load).
/// </summary>
public sealed record AttentionCostModel
{
    /// <summary>The value of the file's "format" field; a file with another value is refused.</summary>
    public const string FormatName = "sieve-attention-cost/1";

    /// <summary>The environment variable naming Sieve's per-user folder (default <c>~/.sieve</c>).</summary>
    public const string HomeVariable = "SIEVE_HOME";

    private static readonly JsonSerializerOptions _json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // A cost line missing a coefficient is corrupt, not zero.
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>Creates a model; each line must belong to Sdpa, BlockSparse, Banded or Csr (Reference is never chosen).</summary>
    public AttentionCostModel(int blockSize, IReadOnlyDictionary<AttentionKernelKind, KernelCost> forward, IReadOnlyDictionary<AttentionKernelKind, KernelCost> trainStep)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockSize);
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentNullException.ThrowIfNull(trainStep);
        foreach (var kind in forward.Keys.Concat(trainStep.Keys))
        {
            if (!Candidates.Contains(kind))
                throw new ArgumentException($"the cost model covers {string.Join(", ", Candidates)}; it cannot hold a line for {kind}.", nameof(forward));
        }
        BlockSize = blockSize;
        Forward = new Dictionary<AttentionKernelKind, KernelCost>(forward);
        TrainStep = new Dictionary<AttentionKernelKind, KernelCost>(trainStep);
    }

    /// <summary>The kernels the auto kernel chooses among, in the order that breaks ties.</summary>
    public static IReadOnlyList<AttentionKernelKind> Candidates { get; } = [AttentionKernelKind.Sdpa, AttentionKernelKind.BlockSparse, AttentionKernelKind.Banded, AttentionKernelKind.Csr];

    /// <summary>The tile side the BlockSparse line was measured with; the auto kernel runs BlockSparse with it.</summary>
    public int BlockSize { get; }

    /// <summary>Forward-only times (inference, evaluation), per kernel.</summary>
    public IReadOnlyDictionary<AttentionKernelKind, KernelCost> Forward { get; }

    /// <summary>Forward plus backward times (a training step's attention), per kernel.</summary>
    public IReadOnlyDictionary<AttentionKernelKind, KernelCost> TrainStep { get; }

    /// <summary>When the calibration ran; null for the built-in default.</summary>
    public DateTimeOffset? Created { get; init; }

    /// <summary>The machine the calibration ran on, in words; null for the built-in default.</summary>
    public string? Machine { get; init; }

    /// <summary>
    /// The built-in model used without a calibration file: fitted by <c>sieve bench calibrate --repeats 5</c> (N = 128
    /// … 2048, densities 0.02, 0.08, 0.3 and 0.5, H = 12, D = 64, float32, windows with two global tokens and BigBird blocks, BlockSparse block size 32,
    /// Banded at its default 16 with its fused forward and backward in 512-bit tiles) on the idle 2-core development
    /// machine (AVX-512) on 2026-12-05 after Sdpa's mask was written in place, and rounded
    /// (docs/results/bench-attention/calibration-h12-densemask-2026-12-05.json).
    /// Checked with <c>sieve bench attention --suite auto</c> (docs/BENCHMARKS.md). Only the ranking matters; run
    /// <c>sieve bench calibrate</c> on your machine and kernels (a CPU without AVX-512 runs Banded's 256-bit tiles,
    /// about 1.4× slower in its forward).
    /// </summary>
    public static AttentionCostModel Default { get; } = new(
        32,
        new Dictionary<AttentionKernelKind, KernelCost>
        {
            [AttentionKernelKind.Sdpa] = new(0.178, 1.31e-4, 2.9e-8),
            [AttentionKernelKind.BlockSparse] = new(0.772, 6.07e-4, 2.97e-8, 3.94e-8),
            [AttentionKernelKind.Banded] = new(0.841, 1.96e-4, 2.13e-8),
            [AttentionKernelKind.Csr] = new(1.44, 2.69e-3, 1.48e-7),
        },
        new Dictionary<AttentionKernelKind, KernelCost>
        {
            [AttentionKernelKind.Sdpa] = new(0.782, 2.66e-4, 9.85e-8),
            [AttentionKernelKind.BlockSparse] = new(4.46, 1.14e-3, 1.3e-7, 1.08e-7),
            [AttentionKernelKind.Banded] = new(2.39, 7.06e-4, 5.35e-8),
            [AttentionKernelKind.Csr] = new(8.23, 6.73e-3, 5.19e-7),
        });

    /// <summary>Where calibrations are written and read by default: <c>$SIEVE_HOME/calibration.json</c>, else <c>~/.sieve/calibration.json</c>.</summary>
    public static string DefaultPath
    {
        get
        {
            string? home = Environment.GetEnvironmentVariable(HomeVariable);
            if (string.IsNullOrWhiteSpace(home))
                home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".sieve");
            return Path.Combine(home, "calibration.json");
        }
    }

    /// <summary>
    /// The estimated time of <paramref name="kind"/> in ms, or null when the model has no line for it (or, for Banded,
    /// when the layout does not split into a band: <see cref="AttentionCostFeatures.BandWork"/> is null).
    /// </summary>
    public double? Estimate(AttentionKernelKind kind, AttentionCostFeatures features, bool training)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (kind == AttentionKernelKind.Banded && features.BandWork is null) return null;
        return (training ? TrainStep : Forward).TryGetValue(kind, out var cost) ? cost.Estimate(kind, features) : null;
    }

    /// <summary>
    /// The calibration at <paramref name="path"/>, or at <see cref="DefaultPath"/> when it is null. A missing default
    /// file gives <see cref="Default"/>; a missing named file or a corrupt file throws, saying which and what to do.
    /// </summary>
    public static AttentionCostModel LoadOrDefault(string? path = null)
    {
        if (path is null)
        {
            string fallback = DefaultPath;
            return File.Exists(fallback) ? Load(fallback) : Default;
        }
        return Load(path);
    }

    /// <summary>Reads a calibration file; <see cref="InvalidDataException"/> names the file and the problem.</summary>
    public static AttentionCostModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"no calibration file at {path}; run `sieve bench calibrate --output {path}` to make one.", path);
        FileDto? dto;
        try
        {
            dto = JsonSerializer.Deserialize<FileDto>(File.ReadAllText(path), _json);
        }
        catch (JsonException error)
        {
            throw Corrupt(path, $"it is not valid JSON ({error.Message})", error);
        }
        if (dto is null) throw Corrupt(path, "it holds null");
        if (dto.Format != FormatName) throw Corrupt(path, $"its \"format\" is {Quote(dto.Format)}, expected \"{FormatName}\"");
        if (dto.BlockSize < 1) throw Corrupt(path, $"its \"blockSize\" is {dto.BlockSize}, expected at least 1");
        var forward = Lines(path, "forward", dto.Forward);
        var train = Lines(path, "trainStep", dto.TrainStep);
        return new AttentionCostModel(dto.BlockSize, forward, train) { Created = dto.Created, Machine = dto.Machine };
    }

    /// <summary>Writes the model as JSON to <paramref name="path"/>, creating its folder.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        var dto = new FileDto
        {
            Format = FormatName,
            Created = Created,
            Machine = Machine,
            BlockSize = BlockSize,
            Forward = Forward.ToDictionary(p => p.Key.ToString(), p => (CostDto?)new CostDto(p.Value.InterceptMs, p.Value.PerRowMs, p.Value.PerWorkMs, p.Value.PerMaskedWorkMs)),
            TrainStep = TrainStep.ToDictionary(p => p.Key.ToString(), p => (CostDto?)new CostDto(p.Value.InterceptMs, p.Value.PerRowMs, p.Value.PerWorkMs, p.Value.PerMaskedWorkMs)),
        };
        File.WriteAllText(path, JsonSerializer.Serialize(dto, _json));
    }

    private static Dictionary<AttentionKernelKind, KernelCost> Lines(string path, string field, Dictionary<string, CostDto?>? lines)
    {
        if (lines is null || lines.Count == 0) throw Corrupt(path, $"its \"{field}\" holds no kernel");
        var result = new Dictionary<AttentionKernelKind, KernelCost>();
        foreach (var (name, cost) in lines)
        {
            if (!Enum.TryParse<AttentionKernelKind>(name, ignoreCase: false, out var kind) || !Candidates.Contains(kind))
                throw Corrupt(path, $"\"{field}\" names the kernel {Quote(name)}; expected {string.Join(", ", Candidates)}");
            if (cost is null) throw Corrupt(path, $"\"{field}\".{name} is null");
            try
            {
                result[kind] = new KernelCost(cost.InterceptMs, cost.PerRowMs, cost.PerWorkMs, cost.PerMaskedWorkMs);
            }
            catch (ArgumentOutOfRangeException error)
            {
                throw Corrupt(path, string.Create(CultureInfo.InvariantCulture, $"\"{field}\".{name}.{error.ParamName} is {error.ActualValue}, expected a finite number ≥ 0"), error);
            }
        }
        return result;
    }

    private static string Quote(string? text) => text is null ? "missing" : $"\"{text}\"";

    private static InvalidDataException Corrupt(string path, string what, Exception? inner = null) =>
        new($"the calibration file {path} is not usable: {what}. Rerun `sieve bench calibrate` to rewrite it, or delete it to use the built-in default model.", inner);

    // The file's shape; properties absent from the JSON stay at their defaults and are then checked above.
    private sealed class FileDto
    {
        public string? Format { get; set; }

        public DateTimeOffset? Created { get; set; }

        public string? Machine { get; set; }

        public int BlockSize { get; set; }

        public Dictionary<string, CostDto?>? Forward { get; set; }

        public Dictionary<string, CostDto?>? TrainStep { get; set; }
    }

    private sealed record CostDto(double InterceptMs, double PerRowMs, double PerWorkMs, double PerMaskedWorkMs = 0);
}
