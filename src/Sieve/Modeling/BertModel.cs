// The BERT encoder: embeddings, layers, optional pooler — HF BertModel (modeling_bert.py), post-LayerNorm, with the
// extended attention mask, or with a pattern per layer computed by a sparse kernel (AttentionSettings).
// Registered module names are HF's state-dict keys; a learnable pattern (issue 6) lives under learned_pattern.*.
using Sieve.Kernels;
using Sieve.Learnable;
using Sieve.Patterns;
using Sieve.Specs;
using Sieve.Variants;
using static TorchSharp.torch;

namespace Sieve.Modeling;

/// <summary>HF <c>BertModel</c>; state-dict keys embeddings.*, encoder.layer.{i}.*, pooler.* (when it has one).</summary>
public sealed class BertModel : nn.Module
{
    /// <summary>The state-dict name of the learnable pattern's module (its parameters are <c>learned_pattern.*</c>).</summary>
    public const string LearnedPatternName = "learned_pattern";

    private readonly BertEmbeddings _embeddings;
    private readonly BertEncoder _encoder;
    private readonly BertPooler? _pooler;

    /// <summary>Builds the encoder; HF's BertForMaskedLM builds it without the pooler.</summary>
    public BertModel(BertConfig config, bool addPoolingLayer = true, Device? device = null, ScalarType? dtype = null) : base(nameof(BertModel))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        _embeddings = new BertEmbeddings(config, device, dtype);
        _encoder = new BertEncoder(config, device, dtype);
        Attention = AttentionSettings.Dense;
        register_module("embeddings", _embeddings);
        register_module("encoder", _encoder);
        if (addPoolingLayer)
        {
            _pooler = new BertPooler(config, device, dtype);
            register_module("pooler", _pooler);
        }
        // The attention the model was saved with, so that a reload attends as it did (and its variants' weights load).
        if (config.Sieve?.ReadSpec() is { } saved)
        {
            if (saved.Learnable is { } learnable) UseLearnablePattern(learnable);
            else ApplyAttention(saved);
        }
    }

    /// <summary>
    /// The weight of the adaptive-span penalty in <see cref="VariantLoss"/>: the reference code's coefficient for enwik8
    /// (facebookresearch/adaptive-span, experiments/enwik8.sh; METHODS.md §10).
    /// </summary>
    public const double SpanPenaltyWeight = 5e-7;

    public BertConfig Config { get; }

    public BertEmbeddings Embeddings => _embeddings;

    public BertEncoder Encoder => _encoder;

    /// <summary>
    /// How the layers attend: HF's dense attention by default, or the pattern recorded in the config's <c>sieve</c>
    /// section (so a reloaded model runs the pattern it was saved with). Set it to change pattern or kernel.
    /// </summary>
    public AttentionSettings Attention
    {
        get;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            // A schedule written for a deeper or wider model is refused here, before a forward would bind it.
            if (value.Pattern is { } pattern) ScheduleBounds.Check(pattern, Config.NumHiddenLayers, Config.NumAttentionHeads);
            field = value;
            _kernel = AttentionKernel.Create(value.Kernel);
        }
    }

    private AttentionKernel _kernel = AttentionKernel.Create(AttentionKernelKind.Sdpa);

    /// <summary>
    /// The kernel instance the pattern runs on, made from <see cref="AttentionSettings.Kernel"/> when
    /// <see cref="Attention"/> is set: an <see cref="AutoKernel"/> reports its per-call choices through it.
    /// </summary>
    public AttentionKernel Kernel => _kernel;

    /// <summary>
    /// The learnable pattern the layers attend through (null: none), set by <see cref="UseLearnablePattern"/> or by a
    /// config whose <c>sieve.learnable_pattern</c> names one. It replaces <see cref="AttentionSettings.Pattern"/>: in
    /// training mode its gates go to the kernel as a float bias over the real tokens; in evaluation mode it is hardened
    /// (deterministic thresholds, per input for AAA) and runs on <see cref="AttentionSettings.Kernel"/>.
    /// </summary>
    public LearnablePattern? Learned { get; private set; }

    /// <summary>The spec <see cref="Learned"/> was built from (saved in config.json), or null.</summary>
    public LearnableSpec? LearnedSpec { get; private set; }

    /// <summary>
    /// Builds the learnable pattern of <paramref name="spec"/> for this model's layers, heads, hidden size, device and
    /// dtype, with <paramref name="options"/> (default <see cref="GumbelOptions"/>), and registers it as
    /// <see cref="LearnedPatternName"/>. Once per model, and not with attention variants or a fixed pattern: build a
    /// new model to change it.
    /// </summary>
    public LearnablePattern UseLearnablePattern(LearnableSpec spec, GumbelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (Learned is not null)
            throw new InvalidOperationException($"this model already has the learnable pattern {LearnedSpec}; build a new model to use {spec}.");
        if (AttentionSpec is { } fixedSpec)
            throw new InvalidOperationException($"this model attends with {fixedSpec}; a learnable pattern replaces the whole attention pattern, so build a new model without it to learn {spec}.");
        spec.CheckFits(Config.MaxPositionEmbeddings);
        var weight = _embeddings.WordEmbeddings.weight!;
        var learned = spec.Build(Config.NumHiddenLayers, Config.NumAttentionHeads, Config.HiddenSize, options, weight.device, weight.dtype);
        register_module(LearnedPatternName, learned);
        learned.train(training);
        Learned = learned;
        LearnedSpec = spec;
        return learned;
    }

    /// <summary>What config.json's <c>sieve</c> section must record for a reload to attend as this model does.</summary>
    public BertSieveSettings? SieveSettings =>
        BertSieveSettings.For(LearnedSpec is { } learned ? Specs.AttentionSpec.Of(learned) : AttentionSpec, Config.Sieve?.Sublayers);

    /// <summary>Whether the model has a pooler (and so a <see cref="BertModelOutput.PoolerOutput"/>).</summary>
    public bool HasPooler => _pooler is not null;

    /// <summary>
    /// Encodes <paramref name="inputIds"/> [B, N]. <paramref name="tokenTypeIds"/> [B, N] defaults to zeros,
    /// <paramref name="attentionMask"/> [B, N] (1 = token, 0 = padding) to all ones. With a pattern, batches must be
    /// right-padded, and <paramref name="patternInputs"/> may give one context per example carrying its data-set index
    /// (random patterns resample per example) and the token-level inputs of word-level patterns (word ids, parse,
    /// embeddings); its length must equal the example's real length. A context without embeddings gets the model's own
    /// input word-piece embeddings of its tokens when the pattern compares them (<c>lexical(m)</c>). The batch's <see cref="AttentionPlan"/> is built
    /// once, before the first layer; the output carries its <see cref="AttentionOutcome"/> (layouts, ρ of training gates,
    /// AAA's selections).
    /// </summary>
    public BertModelOutput forward(Tensor inputIds, Tensor? tokenTypeIds = null, Tensor? attentionMask = null,
        IReadOnlyList<PatternContext>? patternInputs = null)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        using var scope = NewDisposeScope();
        tokenTypeIds ??= zeros_like(inputIds);                                     // [B, N]
        attentionMask ??= ones_like(inputIds);                                     // [B, N]
        var embedded = _embeddings.forward(inputIds, tokenTypeIds);                // [B, N, Hd]
        using var plan = AttentionPlan.Build(this, embedded, attentionMask, patternInputs, inputIds);
        var hidden = _encoder.Consume(embedded, plan);                             // [B, N, Hd]; frees embedded
        var attention = plan.Finish();
        var pooled = _pooler?.forward(hidden);                                     // [B, Hd]
        scope.MoveToOuter(hidden);
        if (pooled is not null) scope.MoveToOuter(pooled);
        if (attention.LearnedSparsity is { } rho) scope.MoveToOuter(rho);
        return new BertModelOutput(hidden, pooled, attention);
    }

    /// <summary>
    /// Makes the layers attend as <paramref name="spec"/> says: builds its attention variants into their layers (a
    /// Linformer with share=layer gets one projection for every layer) and runs its pattern on the other layers with
    /// <paramref name="kernel"/> and <paramref name="seed"/>. A layer that already has a variant must be given the same
    /// one (a reloaded model re-applying its own spec); variants cannot be removed or replaced.
    /// </summary>
    public void ApplyAttention(AttentionSpec spec, AttentionKernelKind kernel = AttentionKernelKind.Auto, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (LearnedSpec is { } learnedSpec)
            throw new InvalidOperationException($"this model learns its pattern ({learnedSpec}); it cannot also attend with {spec}: build a new model.");
        if (spec.Learnable is { } learnable)
            throw new ArgumentException($"{learnable} is a learnable pattern: build it into the model with UseLearnablePattern, which registers its parameters.", nameof(spec));
        spec.Validate(Config.NumHiddenLayers);
        var layers = _encoder.Layers;
        for (int l = 0; l < layers.Count; l++)
        {
            var self = layers[l].Attention.Self;
            var wanted = spec.VariantFor(l);
            if (self.Variant is { } existing)
            {
                if (!Equals(existing.Options, wanted))
                    throw new InvalidOperationException($"layer {l} already attends with {existing.Options}, the spec asks for {wanted?.ToString() ?? "a pattern"}; variants cannot be replaced: build a new model.");
                continue;
            }
            if (wanted is null) continue;
            var (device, dtype) = self.Placement;
            // Layer-wise Linformer sharing: every layer with these options takes the first one's projection (an earlier
            // layer's, built here or already present).
            var shared = wanted is LinformerOptions { Share: LinformerSharing.Layer }
                ? layers.Take(l).Select(x => x.Attention.Self.Variant).OfType<LinformerAttention>().FirstOrDefault(x => Equals(x.Options, wanted))?.Projection
                : null;
            AttentionVariant variant = shared is not null
                ? new LinformerAttention((LinformerOptions)wanted, Config.NumAttentionHeads, Config.HeadSize, Config.HiddenSize, Config.MaxPositionEmbeddings, device, dtype, shared)
                : wanted.Create(Config.NumAttentionHeads, Config.HeadSize, Config.HiddenSize, Config.MaxPositionEmbeddings, device, dtype);
            variant.train(training);
            self.Variant = variant;
        }
        Attention = new AttentionSettings { Pattern = spec.Pattern, Kernel = kernel, Seed = seed };
        _applied = spec;
    }

    /// <summary>
    /// Runs <paramref name="spec"/> as <see cref="ApplyAttention"/> does, or, when it is null, the attention the model
    /// already has (its saved spec, else HF's dense attention), on <paramref name="kernel"/> with <paramref name="seed"/>;
    /// returns the spec it runs (null: dense).
    /// </summary>
    public AttentionSpec? ApplyAttentionOrKeep(AttentionSpec? spec, AttentionKernelKind kernel, ulong seed)
    {
        spec ??= AttentionSpec;
        if (spec is null) Attention = new AttentionSettings { Kernel = kernel, Seed = seed };
        else ApplyAttention(spec, kernel, seed);
        return spec;
    }

    // The spec of the latest ApplyAttention, printed as the user wrote it while the model still runs it.
    private AttentionSpec? _applied;

    /// <summary>
    /// The attention spec the model runs: its layers' variants and <see cref="Attention"/>'s pattern (what a checkpoint
    /// records); null for HF's dense attention everywhere.
    /// </summary>
    public AttentionSpec? AttentionSpec
    {
        get
        {
            var variants = _encoder.Layers.Select(l => l.Attention.Self.Variant?.Options).ToArray();
            if (_applied is { } applied && Equals(applied.Pattern, Attention.Pattern) && variants.Select((v, l) => Equals(v, applied.VariantFor(l))).All(same => same))
                return applied;
            if (variants.All(v => v is null)) return Attention.Pattern is { } pattern ? Specs.AttentionSpec.Of(pattern) : null;
            return Specs.AttentionSpec.FromLayers(variants, Attention.Pattern is SchedulePattern schedule ? PatternLayers(schedule, variants) : Attention.Pattern);
        }
    }

    // The pattern of the layers without a variant: a layer schedule built by AttentionSpec puts placeholders on the
    // variant layers; drop them so that the printed spec lists each layer once.
    private static Pattern PatternLayers(SchedulePattern schedule, VariantOptions?[] variants)
    {
        if (schedule.Axis != ScheduleAxis.Layers) return schedule;
        var entries = schedule.Entries.Where(e => Enumerable.Range(e.First, e.Last - e.First + 1).Any(l => l >= variants.Length || variants[l] is null)).ToArray();
        return entries.Length == schedule.Entries.Count || (entries.Length == 0 && schedule.Otherwise is null)
            ? schedule
            : entries.Length == 0 ? schedule.Otherwise! : new SchedulePattern(ScheduleAxis.Layers, entries, schedule.Otherwise);
    }

    /// <summary>
    /// The regulariser the attention variants add to a training loss: <see cref="SpanPenaltyWeight"/> · Σ_layers
    /// S·mean_h(u_h) over the adaptive-span layers ([] tensor), or null when no layer has one.
    /// </summary>
    public Tensor? VariantLoss()
    {
        var spans = _encoder.Layers.Select(l => l.Attention.Self.Variant).OfType<AdaptiveSpanAttention>().ToArray();
        if (spans.Length == 0) return null;
        using var scope = NewDisposeScope();
        var total = spans.Select(s => s.SpanPenalty()).Aggregate((a, b) => a.Plus(b));   // []
        return scope.MoveToOuter(total.Times(SpanPenaltyWeight));
    }

    // TorchSharp's register_module would also register the private fields under their C# names; the HF names
    // registered in the constructor are the only ones this module has.
    protected override void RegisterComponents()
    {
    }
}
