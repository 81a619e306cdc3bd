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
        AssertOnlyDecays(model, optimizer, "proj.weight", 0.1 * 0.5);
    }

    // A zero gradient makes the Adam part of the update exactly 0, leaving the decoupled decay p ← p·(1 − lr·λ): only
    // the parameter named `decaying` may move, by that factor.
    private static void AssertOnlyDecays(nn.Module model, optim.Optimizer optimizer, string decaying, double rateTimesDecay)
    {
        var before = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        foreach (var (_, p) in model.named_parameters()) p.grad = zeros_like(p);
        optimizer.step();
        foreach (var (name, p) in model.named_parameters())
        {
            var expected = name == decaying ? before[name] * (1 - rateTimesDecay) : before[name];
            Assert.True(expected.allclose(p, rtol: 0, atol: 1e-7), name);
        }
    }

    [Fact]
    public void CreateAdamW_OwnRateGroup_LeavesTheOtherGroups_AndNeverDecays()
    {
        using var model = nn.Sequential(("proj", nn.Linear(3, 3)), ("gate", nn.Linear(3, 1)));
        var gate = model.named_parameters().Where(p => p.name.StartsWith("gate.", StringComparison.Ordinal)).Select(p => p.parameter).ToList();
        using var optimizer = ParameterGroups.CreateAdamW(model, new TrainerOptions { LearningRate = 0.1, WeightDecay = 0.5 }, new OwnRateGroup(gate, 0.01));
        var groups = optimizer.ParamGroups.ToList();
        Assert.Equal(3, groups.Count);   // decay (proj.weight), no decay (proj.bias), own rate (gate.*)
        Assert.Equal([0.1, 0.1, 0.01], groups.Select(g => g.LearningRate));
        Assert.Equal(2, ((TorchSharp.Modules.AdamW.ParamGroup)groups[2]).Parameters.Count());
        Assert.Single(((TorchSharp.Modules.AdamW.ParamGroup)groups[0]).Parameters);
        // Zero gradients: only decoupled decay moves a parameter, and only proj.weight decays (gate.* has no decay).
        AssertOnlyDecays(model, optimizer, "proj.weight", 0.1 * 0.5);
    }
}
