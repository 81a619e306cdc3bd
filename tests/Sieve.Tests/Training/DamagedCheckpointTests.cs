// A damaged checkpoint on resume (issue 16): a truncated optimizer.bin or model.safetensors and a cut or emptied
// trainer_state.json are CheckpointExceptions that name the file and say it is damaged, not the parameters' fault.
using Sieve.Checkpoints;
using Sieve.Training;
using static TorchSharp.torch;

namespace Sieve.Tests.Training;

[Collection(GlobalRandomCollection.Name)]
public sealed class DamagedCheckpointTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sieve-damaged-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static nn.Module<Tensor, Tensor> Model()
    {
        random.manual_seed(1);
        return nn.Sequential(("in", nn.Linear(4, 8)), ("out", nn.Linear(8, 1)));
    }

    private TrainerOptions Options => new() { OutputDir = _dir, LearningRate = 0.01, MaxSteps = 2, SaveSteps = 1, TensorBoard = false };

    private static Trainer<int> Trainer(nn.Module<Tensor, Tensor> model, TrainerOptions options) =>
        new(model, options, new ShuffledBatchSource<int>(4, 2, indices => indices.Length), _ =>
        {
            using var x = ones(2, 4);
            return new TrainStepResult(model.forward(x).pow(2).mean());
        });

    // A two-step run: checkpoint-1 and checkpoint-2.
    private string TrainedCheckpoint()
    {
        using var model = Model();
        using var trainer = Trainer(model, Options);
        Assert.Equal(TrainingOutcome.Completed, trainer.Train().Outcome);
        return TrainerCheckpoint.PathOf(_dir, 1);
    }

    private CheckpointException ResumeFails(string checkpoint)
    {
        using var model = Model();
        using var trainer = Trainer(model, Options);
        return Assert.Throws<CheckpointException>(() => trainer.Resume(checkpoint));
    }

    private static void Truncate(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Write);
        stream.SetLength(stream.Length / 2);
    }

    [Theory]
    [InlineData(TrainerCheckpoint.OptimizerFile)]
    [InlineData(TrainerCheckpoint.ModelFile)]
    public void ATruncatedFile_IsNamedAsTruncated(string name)
    {
        var checkpoint = TrainedCheckpoint();
        Truncate(Path.Combine(checkpoint, name));
        var e = ResumeFails(checkpoint);
        Assert.Contains(Path.Combine(checkpoint, name), e.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("parameters", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFlippedByte_IsNamedAsDamaged()
    {
        var checkpoint = TrainedCheckpoint();
        var file = Path.Combine(checkpoint, TrainerCheckpoint.OptimizerFile);
        var bytes = File.ReadAllBytes(file);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(file, bytes);
        Assert.Contains("SHA-256", ResumeFails(checkpoint).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"global_step\": 1, \"ma")]
    [InlineData("{}")]
    [InlineData("null")]
    public void ACutOrEmptiedTrainerState_IsNamedAsDamaged(string text)
    {
        var checkpoint = TrainedCheckpoint();
        var state = Path.Combine(checkpoint, TrainerState.FileName);
        File.WriteAllText(state, text);
        var e = ResumeFails(checkpoint);
        Assert.Contains(state, e.Message, StringComparison.Ordinal);
        Assert.Contains("damaged", e.Message, StringComparison.Ordinal);
    }
}
