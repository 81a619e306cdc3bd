// The BERT encoder: embeddings, layers, optional pooler — HF BertModel (modeling_bert.py), post-LayerNorm, with the
// extended attention mask, or with a pattern per layer computed by a sparse kernel (AttentionSettings).
// Registered module names are HF's state-dict keys.
using Sieve.Kernels;
using Sieve.Patterns;
using static TorchSharp.torch;

namespace Sieve.Modeling;

/// <summary>HF <c>BertModel</c>; state-dict keys embeddings.*, encoder.layer.{i}.*, pooler.* (when it has one).</summary>
public sealed class BertModel : nn.Module
{
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
        Attention = new AttentionSettings { Pattern = ParsePattern(config.Sieve?.AttentionPattern) };
        register_module("embeddings", _embeddings);
        register_module("encoder", _encoder);
        if (addPoolingLayer)
        {
            _pooler = new BertPooler(config, device, dtype);
            register_module("pooler", _pooler);
        }
    }

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
            field = value;
            _kernel = AttentionKernel.Create(value.Kernel);
        }
    }

    private AttentionKernel _kernel = AttentionKernel.Create(AttentionKernelKind.Sdpa);

    /// <summary>The layouts of the latest forward (null on HF's dense path): what the trainer reads ρ from.</summary>
    public BatchLayouts? LastLayouts { get; private set; }

    /// <summary>Whether the model has a pooler (and so a <see cref="BertModelOutput.PoolerOutput"/>).</summary>
    public bool HasPooler => _pooler is not null;

    /// <summary>
    /// Encodes <paramref name="inputIds"/> [B, N]. <paramref name="tokenTypeIds"/> [B, N] defaults to zeros,
    /// <paramref name="attentionMask"/> [B, N] (1 = token, 0 = padding) to all ones. With a pattern, batches must be
    /// right-padded, and <paramref name="patternInputs"/> may give one context per example carrying its data-set index
    /// (random patterns resample per example) and the token-level inputs of word-level patterns (word ids, parse,
    /// embeddings); its length must equal the example's real length.
    /// </summary>
    public BertModelOutput forward(Tensor inputIds, Tensor? tokenTypeIds = null, Tensor? attentionMask = null,
        IReadOnlyList<PatternContext>? patternInputs = null)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        using var scope = NewDisposeScope();
        tokenTypeIds ??= zeros_like(inputIds);                                     // [B, N]
        attentionMask ??= ones_like(inputIds);                                     // [B, N]
        var embedded = _embeddings.forward(inputIds, tokenTypeIds);                // [B, N, Hd]
        var keyPadding = attentionMask.to_type(ScalarType.Bool);                   // [B, N]
        LayerAttention[] attention;
        if (Attention.Pattern is { } pattern)
        {
            var examples = PatternContexts(attentionMask, patternInputs);
            LastLayouts = BatchLayouts.Build(pattern, examples, Config.NumHiddenLayers, Config.NumAttentionHeads,
                Attention.Seed, Attention.EmptyRows);
            attention = [.. Enumerable.Range(0, Config.NumHiddenLayers).Select(l => LayerAttention.OnLayout(_kernel, LastLayouts[l]) with { KeyPadding = keyPadding })];
        }
        else
        {
            LastLayouts = null;
            var mask = BertFunctions.ExtendedAttentionMask(attentionMask, embedded.dtype);   // [B, 1, 1, N]
            attention = [.. Enumerable.Repeat(LayerAttention.Dense(mask) with { KeyPadding = keyPadding }, Config.NumHiddenLayers)];
        }
        var hidden = _encoder.forward(embedded, attention);                        // [B, N, Hd]
        var pooled = _pooler?.forward(hidden);                                     // [B, Hd]
        scope.MoveToOuter(hidden);
        if (pooled is not null) scope.MoveToOuter(pooled);
        return new BertModelOutput(hidden, pooled, LastLayouts);
    }

    /// <summary>
    /// One pattern context per example from the padding mask [B, N]: the real length is the count of ones, which must
    /// come first (right padding), because patterns index real tokens from 0.
    /// </summary>
    private static PatternContext[] PatternContexts(Tensor attentionMask, IReadOnlyList<PatternContext>? inputs)
    {
        int batch = (int)attentionMask.shape[0], padded = (int)attentionMask.shape[1];
        using var cpu = attentionMask.to(CPU).to_type(ScalarType.Int64).contiguous();   // [B, N]
        var flags = cpu.data<long>().ToArray();
        if (inputs is not null && inputs.Count != batch)
            throw new ArgumentException($"got {inputs.Count} pattern contexts for a batch of {batch} examples; give one per example.", nameof(inputs));
        var contexts = new PatternContext[batch];
        for (int b = 0; b < batch; b++)
        {
            var row = flags.AsSpan(b * padded, padded);
            int length = row.IndexOf(0L);
            if (length < 0) length = padded;
            if (row[length..].ContainsAnyExcept(0L) || row[..length].ContainsAnyExcept(1L))
                throw new ArgumentException($"example {b} of the attention mask is not right-padded ones then zeros; sparse patterns index real tokens from position 0, so pad on the right.", nameof(attentionMask));
            var given = inputs?[b];
            if (given is not null && given.Length != length)
                throw new ArgumentException($"the pattern context of example {b} has length {given.Length} but the attention mask has {length} real tokens.", nameof(inputs));
            contexts[b] = (given ?? new PatternContext(length) { Example = b }) with { PaddedLength = padded };
        }
        return contexts;
    }

    private static Pattern? ParsePattern(string? spec)
    {
        if (spec is null) return null;
        try
        {
            return PatternSpec.Parse(spec);
        }
        catch (PatternSpecException e)
        {
            throw new ArgumentException($"the config's sieve.attention_pattern '{spec}' is not a valid pattern: {e.Message}", nameof(spec), e);
        }
    }

    // TorchSharp's register_module would also register the private fields under their C# names; the HF names
    // registered in the constructor are the only ones this module has.
    protected override void RegisterComponents()
    {
    }
}
