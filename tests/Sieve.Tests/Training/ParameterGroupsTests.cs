// The no-decay group of HF Trainer (biases and LayerNorm weights) on a real BertModel, and the decoupled decay that
// AdamW applies to the other group only.
using Sieve.Modeling;
using Sieve.Training;
using static TorchSharp.torch;

namespace Sieve.Tests.Training;

public sealed class ParameterGroupsTests
{
    private static readonly BertConfig _tiny = new() { VocabSize = 30, HiddenSize = 8, NumHiddenLayers = 1, NumAttentionHeads = 2, IntermediateSize = 16, MaxPositionEmbeddings = 16 };

    [Fact]
    public void BertModel_BiasesAndLayerNormWeights_AreTheNoDecayGroup()
    {
        using var model = new BertModel(_tiny);
        var (decay, noDecay) = ParameterGroups.Names(model);
        // HF examples' rule: no_decay = ["bias", "LayerNorm.weight"], matched as substrings of the parameter name.
        string[] hfNoDecay = ["bias", "LayerNorm.weight"];
        var all = model.named_parameters().Select(p => p.name).ToList();
        Assert.Equal(all.Where(n => hfNoDecay.Any(n.Contains)), noDecay);
        Assert.Equal(all.Where(n => !hfNoDecay.Any(n.Contains)), decay);
        // One layer with pooler: 3 embedding tables + q, k, v, attention output, intermediate, output + pooler weights decay;
        // embeddings LayerNorm (2) + 6 dense biases + 2 LayerNorms (4) + pooler bias do not.
        Assert.Equal(10, decay.Count);
        Assert.Equal(13, noDecay.Count);
        Assert.Contains("encoder.layer.0.attention.output.LayerNorm.weight", noDecay);
        Assert.Contains("embeddings.word_embeddings.weight", decay);
    }

    [Fact]
    public void IsNoDecay_UsesTheOwnerType_ForLayerNormsWithOtherNames()
    {
        using var model = nn.Sequential(("proj", nn.Linear(3, 3)), ("norm", nn.LayerNorm(3)));
        var (decay, noDecay) = ParameterGroups.Names(model);
        Assert.Equal(["proj.weight"], decay);
        Assert.Equal(["proj.bias", "norm.weight", "norm.bias"], noDecay);
    }

    [Fact]
    public void CreateAdamW_DecaysOnlyTheDecayGroup()
    {
        using var model = nn.Sequential(("proj", nn.Linear(3, 3)), ("norm", nn.LayerNorm(3)));
        using var optimizer = ParameterGroups.CreateAdamW(model, new TrainerOptions { LearningRate = 0.1, WeightDecay = 0.5 });
        var before = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        // A zero gradient makes the Adam part of the update exactly 0, leaving the decoupled decay p ← p·(1 − lr·λ).
        foreach (var (_, p) in model.named_parameters()) p.grad = zeros_like(p);
        optimizer.step();
        foreach (var (name, p) in model.named_parameters())
        {
            var expected = name == "proj.weight" ? before[name] * (1 - (0.1 * 0.5)) : before[name];
            Assert.True(expected.allclose(p, rtol: 0, atol: 1e-7), name);
        }
    }
}
