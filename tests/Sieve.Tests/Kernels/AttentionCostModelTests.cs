// The calibration file: a save/load round trip keeps every coefficient bit for bit, and a corrupt file is refused with
// a message naming the file, the problem and what to do; the least-squares fit recovers known lines.
using Sieve.Benchmarking;
using Sieve.Kernels;

namespace Sieve.Tests.Kernels;

public sealed class AttentionCostModelTests
{
    private static string TempPath() => Path.Combine(Path.GetTempPath(), $"sieve-calibration-{Guid.NewGuid():N}", "calibration.json");

    [Fact]
    public void SaveThenLoad_KeepsEveryCoefficient()
    {
        var model = new AttentionCostModel(
            32,
            new Dictionary<AttentionKernelKind, KernelCost>
            {
                [AttentionKernelKind.Sdpa] = new(0.125, 1.0 / 3, 7.25e-8),
                [AttentionKernelKind.Csr] = new(2, 0, Math.PI * 1e-7),
            },
            new Dictionary<AttentionKernelKind, KernelCost> { [AttentionKernelKind.BlockSparse] = new(0.1, 0.2, 0.3, 1.0 / 7) })
        {
            Created = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero),
            Machine = "test machine",
        };
        string path = TempPath();
        try
        {
            model.Save(path);
            var loaded = AttentionCostModel.Load(path);
            Assert.Equal(32, loaded.BlockSize);
            Assert.Equal(model.Created, loaded.Created);
            Assert.Equal("test machine", loaded.Machine);
            AssertSameLines(model.Forward, loaded.Forward);
            AssertSameLines(model.TrainStep, loaded.TrainStep);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    private static void AssertSameLines(IReadOnlyDictionary<AttentionKernelKind, KernelCost> expected, IReadOnlyDictionary<AttentionKernelKind, KernelCost> actual)
    {
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (kind, cost) in expected)
        {
            Assert.Equal(cost.InterceptMs, actual[kind].InterceptMs);
            Assert.Equal(cost.PerRowMs, actual[kind].PerRowMs);
            Assert.Equal(cost.PerWorkMs, actual[kind].PerWorkMs);
            Assert.Equal(cost.PerMaskedWorkMs, actual[kind].PerMaskedWorkMs);
        }
    }

    [Fact]
    public void AFileWithoutTheMaskedCoefficient_LoadsItAsZero()
    {
        string path = TempPath();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            File.WriteAllText(path, """{"format": "sieve-attention-cost/1", "blockSize": 32, "forward": {"BlockSparse": {"interceptMs": 1, "perRowMs": 2, "perWorkMs": 3}}, "trainStep": {"Sdpa": {"interceptMs": 0, "perRowMs": 0, "perWorkMs": 1}}}""");
            var cost = AttentionCostModel.Load(path).Forward[AttentionKernelKind.BlockSparse];
            Assert.Equal((1.0, 2.0, 3.0, 0.0), (cost.InterceptMs, cost.PerRowMs, cost.PerWorkMs, cost.PerMaskedWorkMs));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Theory]
    [InlineData("{ not json", "not valid JSON")]
    [InlineData("""{"format": "other/9", "blockSize": 64, "forward": {}, "trainStep": {}}""", "\"format\"")]
    [InlineData("""{"format": "sieve-attention-cost/1", "blockSize": 0, "forward": {}, "trainStep": {}}""", "\"blockSize\" is 0")]
    [InlineData("""{"format": "sieve-attention-cost/1", "blockSize": 64, "forward": {}, "trainStep": {}}""", "\"forward\" holds no kernel")]
    [InlineData("""{"format": "sieve-attention-cost/1", "blockSize": 64, "forward": {"Reference": {"interceptMs": 0, "perRowMs": 0, "perWorkMs": 0}}, "trainStep": {}}""", "\"Reference\"")]
    [InlineData("""{"format": "sieve-attention-cost/1", "blockSize": 64, "forward": {"Csr": {"interceptMs": -1, "perRowMs": 0, "perWorkMs": 0}}, "trainStep": {"Csr": {"interceptMs": 0, "perRowMs": 0, "perWorkMs": 0}}}""", "interceptMs is -1")]
    [InlineData("""{"format": "sieve-attention-cost/1", "blockSize": 64, "forward": {"Csr": {"interceptMs": 1, "perRowMs": 0}}, "trainStep": {}}""", "not valid JSON")]
    public void ACorruptFile_IsRefused_NamingTheFileAndTheFix(string text, string problem)
    {
        string path = TempPath();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            File.WriteAllText(path, text);
            var error = Assert.Throws<InvalidDataException>(() => AttentionCostModel.Load(path));
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
            Assert.Contains(problem, error.Message, StringComparison.Ordinal);
            Assert.Contains("sieve bench calibrate", error.Message, StringComparison.Ordinal);
            // The auto kernel refuses it too, rather than silently running on the default model.
            Assert.Throws<InvalidDataException>(() => new AutoKernel(AttentionCostModel.LoadOrDefault(path)));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public void AMissingNamedFile_SaysHowToMakeOne()
    {
        string path = TempPath();
        var error = Assert.Throws<FileNotFoundException>(() => AttentionCostModel.LoadOrDefault(path));
        Assert.Contains("sieve bench calibrate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NegativeOrNonFiniteCoefficients_AreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new KernelCost(-1, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KernelCost(0, double.NaN, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KernelCost(0, 0, double.PositiveInfinity));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KernelCost(0, 0, 0, -1e-9));
    }

    [Fact]
    public void LeastSquares_RecoversAnExactLine()
    {
        // y = 2 + 0.5·rows + 3e-6·work on points that are not collinear.
        double[][] x = [[1, 100, 1e6], [1, 200, 5e6], [1, 400, 2e6], [1, 800, 3e7], [1, 50, 9e5]];
        var y = x.Select(r => 2 + (0.5 * r[1]) + (3e-6 * r[2])).ToArray();
        var c = AttentionCalibration.NonNegativeLeastSquares(x, y);
        Assert.Equal(2, c[0], 6);
        Assert.Equal(0.5, c[1], 9);
        Assert.Equal(3e-6, c[2], 12);
    }

    [Fact]
    public void LeastSquares_ClampsANegativeSlope_AndRefitsTheRest()
    {
        // y falls with x: the unconstrained slope is −1; fixed at 0, the best intercept is the mean of y, 3.
        double[][] x = [[1, 1], [1, 2], [1, 3], [1, 4], [1, 5]];
        double[] y = [5, 4, 3, 2, 1];
        var c = AttentionCalibration.NonNegativeLeastSquares(x, y);
        Assert.Equal(0, c[1]);
        Assert.Equal(3, c[0], 12);
    }

    [Fact]
    public void Fit_RecoversEachKernelsLines_FromExactSamples()
    {
        var truth = new Dictionary<AttentionKernelKind, (KernelCost Forward, KernelCost Train)>
        {
            [AttentionKernelKind.Sdpa] = (new(0.5, 1e-3, 2e-8), new(1.5, 3e-3, 6e-8)),
            [AttentionKernelKind.Csr] = (new(0.1, 4e-3, 5e-7), new(0.2, 9e-3, 1.5e-6)),
        };
        var samples = new List<AttentionCalibration.Sample>();
        foreach (int n in new[] { 256, 512, 1024 })
        {
            foreach (double density in new[] { 0.02, 0.1, 0.4 })
            {
                var features = new AttentionCostFeatures(4.0 * n, 4.0 * n * n * 64, 0, 4.0 * n * n * density * 64);
                foreach (var (kind, (f, t)) in truth)
                    samples.Add(new(kind, features, f.Estimate(kind, features), t.Estimate(kind, features)));
            }
        }
        var model = AttentionCalibration.Fit(samples, 64);
        foreach (var (kind, (f, t)) in truth)
        {
            foreach (var (expected, actual) in new[] { (f, model.Forward[kind]), (t, model.TrainStep[kind]) })
            {
                Assert.Equal(expected.InterceptMs, actual.InterceptMs, 6);
                Assert.Equal(1, actual.PerRowMs / expected.PerRowMs, 6);
                Assert.Equal(1, actual.PerWorkMs / expected.PerWorkMs, 6);
                Assert.Equal(0, actual.PerMaskedWorkMs);
            }
        }
        Assert.False(model.Forward.ContainsKey(AttentionKernelKind.BlockSparse));
    }

    [Fact]
    public void Fit_SeparatesBlockSparsesMaskedTiles_WhenBothKindsWereMeasured()
    {
        var truth = (Forward: new KernelCost(2, 4e-4, 3.5e-8, 2e-8), Train: new KernelCost(8, 6e-4, 1.2e-7, 8e-8));
        var samples = new List<AttentionCalibration.Sample>();
        foreach (int n in new[] { 256, 512, 1024, 2048 })
        {
            foreach (double density in new[] { 0.05, 0.2, 0.5 })
            {
                double tiles = 12.0 * n * n * density * 64;
                // Windows: every tile masked; blocks: none; one mixed case.
                foreach (double maskedShare in new[] { 1.0, 0.0, 0.25 })
                {
                    var features = new AttentionCostFeatures(12.0 * n, 12.0 * n * n * 64, tiles, tiles / 2) { MaskedTileWork = tiles * maskedShare };
                    samples.Add(new(AttentionKernelKind.BlockSparse, features,
                        truth.Forward.Estimate(AttentionKernelKind.BlockSparse, features), truth.Train.Estimate(AttentionKernelKind.BlockSparse, features)));
                }
            }
        }
        var model = AttentionCalibration.Fit(samples, 32);
        foreach (var (expected, actual) in new[] { (truth.Forward, model.Forward[AttentionKernelKind.BlockSparse]), (truth.Train, model.TrainStep[AttentionKernelKind.BlockSparse]) })
        {
            Assert.Equal(expected.InterceptMs, actual.InterceptMs, 6);
            Assert.Equal(1, actual.PerRowMs / expected.PerRowMs, 6);
            Assert.Equal(1, actual.PerWorkMs / expected.PerWorkMs, 6);
            Assert.Equal(1, actual.PerMaskedWorkMs / expected.PerMaskedWorkMs, 6);
        }
    }
}
