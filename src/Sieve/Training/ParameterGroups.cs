// The two AdamW parameter groups of HF `Trainer.create_optimizer`: weight decay on every weight except biases and
// LayerNorm weights (the `no_decay = ["bias", "LayerNorm.weight"]` rule of the HF examples), which never decay; plus,
// when asked, a third group with its own learning rate and no decay (a learnable pattern's logits, METHODS.md §2.4).
using static TorchSharp.torch;

namespace Sieve.Training;

/// <summary>Splits a module's trainable parameters into a decay and a no-decay group and builds the AdamW optimizer.</summary>
public static class ParameterGroups
{
    /// <summary>
    /// Whether the parameter named <paramref name="name"/> is exempt from weight decay: its name contains "bias", or it
    /// belongs to a LayerNorm (a module of type LayerNorm or a name with "LayerNorm." / "layer_norm." in it).
    /// </summary>
    public static bool IsNoDecay(string name, bool ownerIsLayerNorm = false)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ownerIsLayerNorm
            || name.Contains("bias", StringComparison.Ordinal)
            || name.Contains("LayerNorm.", StringComparison.Ordinal)
            || name.Contains("layer_norm.", StringComparison.Ordinal);
    }

    /// <summary>The names of the trainable parameters of <paramref name="module"/>, split into (decay, no decay), in module order.</summary>
    public static (IReadOnlyList<string> Decay, IReadOnlyList<string> NoDecay) Names(nn.Module module)
    {
        var (decay, noDecay) = Split(module);
        return ([.. decay.Select(p => p.Name)], [.. noDecay.Select(p => p.Name)]);
    }

    /// <summary>
    /// AdamW (torch.optim.AdamW: decoupled decay p ← p·(1 − lr·λ)) over two groups: the decay group with
    /// <see cref="TrainerOptions.WeightDecay"/>, the no-decay group with 0; then <paramref name="ownRate"/>, when given,
    /// as a third group with its own peak learning rate and no weight decay (its parameters leave the other groups).
    /// Empty groups are left out.
    /// </summary>
    public static optim.Optimizer CreateAdamW(nn.Module module, TrainerOptions options, OwnRateGroup? ownRate = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(options);
        var (decay, noDecay) = Split(module);
        var own = ownRate is null ? [] : ownRate.Parameters.Where(p => p.requires_grad).ToList();
        if (own.Count > 0)
        {
            // Identity, not name: the same tensor object is what the optimizer updates.
            var handles = own.Select(p => p.Handle).ToHashSet();
            decay.RemoveAll(p => handles.Contains(p.Parameter.Handle));
            noDecay.RemoveAll(p => handles.Contains(p.Parameter.Handle));
        }
        if (decay.Count + noDecay.Count + own.Count == 0)
            throw new ArgumentException("the model has no trainable parameter (all have requires_grad = false); unfreeze some before training.", nameof(module));
        var groups = new List<TorchSharp.Modules.AdamW.ParamGroup>();
        if (decay.Count > 0)
            groups.Add(new TorchSharp.Modules.AdamW.ParamGroup(decay.Select(p => p.Parameter), options.LearningRate, options.Beta1, options.Beta2, options.Epsilon, options.WeightDecay));
        if (noDecay.Count > 0)
            groups.Add(new TorchSharp.Modules.AdamW.ParamGroup(noDecay.Select(p => p.Parameter), options.LearningRate, options.Beta1, options.Beta2, options.Epsilon, weight_decay: 0.0));
        if (own.Count > 0)
            groups.Add(new TorchSharp.Modules.AdamW.ParamGroup(own, ownRate!.LearningRate, options.Beta1, options.Beta2, options.Epsilon, weight_decay: 0.0));
        return optim.AdamW(groups, options.LearningRate, options.Beta1, options.Beta2, options.Epsilon, options.WeightDecay);
    }

    private static (List<(string Name, TorchSharp.Modules.Parameter Parameter)> Decay, List<(string Name, TorchSharp.Modules.Parameter Parameter)> NoDecay) Split(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        // Parameters owned directly by a LayerNorm module, whatever the module is called.
        var layerNormParameters = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (prefix, child) in module.named_modules())
        {
            if (child is not TorchSharp.Modules.LayerNorm) continue;
            foreach (var (name, _) in child.named_parameters(recurse: false))
                layerNormParameters.Add(prefix.Length == 0 ? name : prefix + "." + name);
        }
        var decay = new List<(string, TorchSharp.Modules.Parameter)>();
        var noDecay = new List<(string, TorchSharp.Modules.Parameter)>();
        foreach (var (name, parameter) in module.named_parameters())
        {
            if (!parameter.requires_grad) continue;
            (IsNoDecay(name, layerNormParameters.Contains(name)) ? noDecay : decay).Add((name, parameter));
        }
        return (decay, noDecay);
    }
}
