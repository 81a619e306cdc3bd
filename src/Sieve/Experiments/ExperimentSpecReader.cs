// Reads an experiment spec (docs/EXPERIMENTS.md) from YAML — JSON being YAML, .json files read the same way — by
// walking the node tree, so that every error names the file, the line and the field, and unknown keys are caught.
using System.Globalization;
using Sieve.Data;
using Sieve.Learnable;
using Sieve.Models;
using Sieve.Patterns;
using Sieve.Specs;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using static System.FormattableString;

namespace Sieve.Experiments;

/// <summary>The spec file reader behind <see cref="ExperimentSpec.Load"/>.</summary>
internal static class ExperimentSpecReader
{
    private static readonly string[] _keys = ["name", "output", "model", "config", "vocab", "tasks", "patterns", "layers", "seeds", "pretrain", "pretraining", "budget", "reference", "reuse"];
    private static readonly string[] _taskKeys = ["name", "data", "max_train_examples", "max_eval_examples", "parses"];
    private static readonly string[] _parsesKeys = ["train", "dev", "dev_mismatched", "unparsed_rows"];
    private static readonly string[] _patternKeys = ["label", "spec", "target_sparsity", "match_sparsity_of", "match_sparsity_on", "alpha", "alpha_schedule", "sparsity_penalty"];
    private static readonly string[] _budgetKeys = ["max_steps", "epochs", "batch_size", "max_length", "learning_rate", "warmup_ratio", "weight_decay",
        "classifier_pooling", "group_by_length", "eval_steps", "gate_bias_scale", "pattern_learning_rate"];
    private static readonly string[] _pretrainingKeys = ["corpus", "max_steps", "epochs", "batch_size", "max_length", "learning_rate", "mlm_probability", "validation_share"];

    public static ExperimentSpec Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"the experiment spec {path} does not exist; see docs/EXPERIMENTS.md for an example.", path);
        if (RegularFile.Problem(path, "the experiment spec") is { } problem) throw new InvalidDataException(problem);
        var full = Path.GetFullPath(path);
        return Parse(File.ReadAllText(full), Path.GetDirectoryName(full)!, full, Path.GetFileNameWithoutExtension(full));
    }

    public static ExperimentSpec Parse(string text, string baseDirectory, string source, string? defaultName = null)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new FormatException($"{source}:{e.Start.Line}: {e.Message}", e);
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new FormatException($"{source}: an experiment spec is one mapping (name:, tasks:, patterns:, …); see docs/EXPERIMENTS.md.");
        var reader = new Reader(source, baseDirectory);
        return reader.Spec(root, defaultName);
    }

    private sealed class Reader(string source, string baseDirectory)
    {
        public ExperimentSpec Spec(YamlMappingNode root, string? defaultName)
        {
            var map = Fields(root, _keys, "the spec");
            string name = map.TryGetValue("name", out var n) ? Scalar(n, "name") : defaultName ?? "experiment";
            string? model = map.TryGetValue("model", out var m) ? ModelPath(m) : null;
            string? config = map.TryGetValue("config", out var c) ? PathOf(c, "config") : null;
            if ((model is null) == (config is null))
                throw Error(root, "give either model: (an HF model directory to fine-tune) or config: (a config.json to train from scratch), not both or neither");
            var tasks = Sequence(Required(map, root, "tasks"), "tasks").Select(Task).ToList();
            // A `bigbird_grid:` entry stands for several rows; each row keeps its entry's node, for errors at its line.
            var rows = Sequence(Required(map, root, "patterns"), "patterns").SelectMany(Rows).ToList();
            var patternNodes = rows.Select(row => row.Node).ToList();
            var patterns = rows.Select(row => row.Pattern).ToList();
            var layers = map.TryGetValue("layers", out var l) ? [.. Sequence(l, "layers").Select(Layers)] : new List<LayerSet> { LayerSet.All };
            var seeds = map.TryGetValue("seeds", out var s) ? [.. Sequence(s, "seeds").Select(x => Int(x, "seeds"))] : new List<int> { 42 };
            var pretrain = map.TryGetValue("pretrain", out var p) ? [.. Sequence(p, "pretrain").Select(n => Bool(n, "pretrain", "no and/or yes"))] : new List<bool> { false };
            Unique(root, tasks.Select(t => t.Name), "task");
            Unique(root, patterns.Select(x => x.Label), "pattern label");
            Unique(root, layers.Select(x => x.Name), "layer set");
            Unique(root, seeds.Select(x => x.ToString(CultureInfo.InvariantCulture)), "seed");
            Unique(root, pretrain.Select(x => x ? "yes" : "no"), "pretrain value");
            var pretraining = map.TryGetValue("pretraining", out var pt) ? Pretraining(pt) : null;
            for (int i = 0; i < patterns.Count; i++)
            {
                CheckCells(patternNodes[i], patterns[i], layers, pretrain.Contains(true));
                CheckParses(patternNodes[i], patterns[i], tasks, pretrain.Contains(true));
            }
            if (pretraining is null && pretrain.Contains(true))
                throw Error(p!, "'pretrain: yes' cells pre-train before fine-tuning, but the spec has no 'pretraining:' section; add one with at least 'corpus:' (a text file, one sentence or document per line)");
            string reference = map.TryGetValue("reference", out var r) ? Scalar(r, "reference") : patterns[0].Label;
            if (!patterns.Any(x => x.Label == reference))
            {
                // The reference may be written as a spec ("full") of a pattern that carries a label.
                var match = patterns.FirstOrDefault(x => x.Spec == Canonical(r!, reference));
                reference = match?.Label ?? throw Error(r!, $"reference '{reference}' is not one of the patterns ({string.Join(", ", patterns.Select(x => x.Label))}); name a pattern's label or spec");
            }
            return new ExperimentSpec
            {
                Name = name,
                OutputDirectory = map.TryGetValue("output", out var o) ? PathOf(o, "output") : Path.Combine(baseDirectory, name),
                ModelDirectory = model,
                ConfigPath = config,
                VocabPath = map.TryGetValue("vocab", out var v) ? PathOf(v, "vocab") : null,
                Tasks = tasks,
                Patterns = patterns,
                LayerSets = layers,
                Seeds = seeds,
                Pretrain = pretrain,
                Pretraining = pretraining,
                Budget = map.TryGetValue("budget", out var b) ? Budget(b) : new ExperimentBudget(),
                Reference = reference,
                Reuse = map.TryGetValue("reuse", out var u) ? [.. Sequence(u, "reuse").Select(ReusedSpec)] : [],
            };
        }

        private ExperimentTask Task(YamlNode node)
        {
            var map = Fields(Mapping(node, "a task"), _taskKeys, "a task");
            var nameNode = Required(map, node, "name");
            string name = Scalar(nameNode, "name");
            try
            {
                name = TaskDefinition.Parse(name).Name;
            }
            catch (ArgumentException e)
            {
                throw Error(nameNode, e.Message);
            }
            var parses = map.TryGetValue("parses", out var p) ? Fields(Mapping(p, "parses"), _parsesKeys, "parses") : [];
            return new ExperimentTask(name, PathOf(Required(map, node, "data"), "data"),
                map.TryGetValue("max_train_examples", out var t) ? Positive(t, "max_train_examples") : null,
                map.TryGetValue("max_eval_examples", out var e2) ? Positive(e2, "max_eval_examples") : null,
                parses.TryGetValue("train", out var train) ? PathOf(train, "train") : null,
                parses.TryGetValue("dev", out var dev) ? PathOf(dev, "dev") : null,
                parses.TryGetValue("unparsed_rows", out var u) ? Scalar(u, "unparsed_rows") switch
                {
                    "error" => FineTuning.UnparsedRowPolicy.Error,
                    "no-arcs" => FineTuning.UnparsedRowPolicy.NoArcs,
                    var other => throw Error(u, $"unparsed_rows takes error or no-arcs, got '{other}'"),
                } : FineTuning.UnparsedRowPolicy.Error,
                parses.TryGetValue("dev_mismatched", out var mismatched) ? PathOf(mismatched, "dev_mismatched") : null);
        }

        private IEnumerable<(YamlNode Node, ExperimentPattern Pattern)> Rows(YamlNode node) =>
            node is YamlMappingNode mapping && mapping.Children.Keys.Any(k => k is YamlScalarNode { Value: "bigbird_grid" })
                ? BigBirdGrid(mapping).Select(pattern => (node, pattern))
                : [(node, Pattern(node))];

        // Breaking BERT's BigBird ablation (METHODS.md §2.3): every combination of g global tokens, a window of ±w and r
        // random keys per row, r varying fastest, as rows labelled "BigBird g=G w=W r=R".
        private IEnumerable<ExperimentPattern> BigBirdGrid(YamlMappingNode node)
        {
            var outer = Fields(node, ["bigbird_grid"], "a BigBird grid");
            var grid = Fields(Mapping(outer["bigbird_grid"], "bigbird_grid"), ["g", "w", "r", "seed"], "bigbird_grid");
            List<int> Values(string key) => [.. Sequence(Required(grid, node, key), key).Select(v => NonNegative(v, key))];
            var (gs, ws, rs) = (Values("g"), Values("w"), Values("r"));
            int seed = grid.TryGetValue("seed", out var s) ? NonNegative(s, "seed") : 0;
            foreach (int g in gs)
                foreach (int w in ws)
                    foreach (int r in rs)
                    {
                        string spec = Canonical(node, Invariant($"bigbird({g},{w},{r},seed={seed})"));
                        yield return new ExperimentPattern(Invariant($"BigBird g={g} w={w} r={r}"), spec);
                    }
        }

        private int NonNegative(YamlNode node, string key) =>
            Int(node, key) is int value and >= 0 ? value : throw Error(node, $"'{key}' must be 0 or more");

        private ExperimentPattern Pattern(YamlNode node)
        {
            if (node is YamlScalarNode)
            {
                string spec = Canonical(node, Scalar(node, "patterns"));
                return new ExperimentPattern(spec, spec);
            }
            var map = Fields(Mapping(node, "a pattern"), _patternKeys, "a pattern");
            var specNode = Required(map, node, "spec");
            string canonical = Canonical(specNode, Scalar(specNode, "spec"));
            string label = map.TryGetValue("label", out var l) ? Scalar(l, "label") : canonical;
            if (label.Contains('/', StringComparison.Ordinal)) throw Error(l!, $"the label '{label}' contains '/', which separates the parts of a cell id; choose another");
            return new ExperimentPattern(label, canonical) { Target = Target(node, map, canonical), MatchSparsityOf = MatchSparsityOf(map), MatchSparsityOn = MatchSparsityOn(map) };
        }

        // The fixed pattern whose ρ on each cell's training set is the learnable row's target (instead of a number).
        private string? MatchSparsityOf(Dictionary<string, YamlNode> map)
        {
            if (!map.TryGetValue("match_sparsity_of", out var node)) return null;
            string text = Scalar(node, "match_sparsity_of");
            try
            {
                var spec = AttentionSpec.Parse(text);
                return spec.Pattern is { } pattern && !spec.HasVariants ? pattern.ToString()
                    : throw Error(node, $"match_sparsity_of takes a fixed pattern, whose sparsity on the training set is the target; '{text}' is not one");
            }
            catch (SpecException e)
            {
                throw Error(node, $"match_sparsity_of '{text}': {e.Message}");
            }
        }

        // The split match_sparsity_of is measured on: train (default) or dev, where the grid's comparison is read.
        private DataSplit MatchSparsityOn(Dictionary<string, YamlNode> map)
        {
            if (!map.TryGetValue("match_sparsity_on", out var node)) return DataSplit.Train;
            if (!map.ContainsKey("match_sparsity_of"))
                throw Error(node, "match_sparsity_on says where the ρ of match_sparsity_of is measured; add match_sparsity_of: (a fixed pattern) to this pattern");
            return Scalar(node, "match_sparsity_on") switch
            {
                "train" => DataSplit.Train,
                "dev" => DataSplit.Dev,
                var other => throw Error(node, $"match_sparsity_on takes train or dev, got '{other}'"),
            };
        }

        // A learnable row's sparsity target, from the keys finetune takes as flags (--target-sparsity, --alpha, …).
        private SparsityLoss? Target(YamlNode node, Dictionary<string, YamlNode> map, string spec)
        {
            bool matched = map.TryGetValue("match_sparsity_of", out var match);
            if (matched && map.TryGetValue("target_sparsity", out var both))
                throw Error(both, "give either target_sparsity: (a number) or match_sparsity_of: (a fixed pattern whose sparsity is the target), not both");
            if (!map.TryGetValue("target_sparsity", out var target) && matched) target = match;
            if (target is null)
            {
                string? stray = new[] { "alpha", "alpha_schedule", "sparsity_penalty" }.FirstOrDefault(map.ContainsKey);
                return stray is null ? null : throw Error(map[stray], $"'{stray}' shapes the pull towards a target sparsity; add target_sparsity: to this pattern");
            }
            if (AttentionSpec.Parse(spec).Learnable is null)
                throw Error(target, $"target_sparsity trains a learnable pattern towards it, but '{spec}' is not one; use e.g. learned_diagonal(max_offset=16, level=task)+global(1) or aaa(local=2)");
            try
            {
                // With match_sparsity_of the fine-tuning job measures the number on the cell's training examples
                // (FineTuneOptions.MatchSparsityOf); 0 stands in and is never read.
                var loss = new SparsityLoss { Target = matched ? 0 : Double(target, "target_sparsity") };
                if (map.TryGetValue("alpha", out var a)) loss = loss with { Alpha = Double(a, "alpha") };
                if (map.TryGetValue("alpha_schedule", out var s))
                {
                    loss = loss with
                    {
                        Schedule = Scalar(s, "alpha_schedule") switch
                        {
                            "constant" => AlphaSchedule.Constant,
                            "linear" => AlphaSchedule.LinearToHalf,
                            var other => throw Error(s, $"alpha_schedule takes constant or linear, got '{other}'"),
                        },
                    };
                }
                if (map.TryGetValue("sparsity_penalty", out var p))
                {
                    loss = loss with
                    {
                        Penalty = Scalar(p, "sparsity_penalty") switch
                        {
                            "hinge" => SparsityPenalty.Hinge,
                            "two-sided" => SparsityPenalty.TwoSided,
                            var other => throw Error(p, $"sparsity_penalty takes hinge or two-sided, got '{other}'"),
                        },
                    };
                }
                return loss;
            }
            catch (ArgumentException e)
            {
                throw Error(node, e.Message.Split(" (Parameter", 2)[0].Split('\n')[0].TrimEnd('.'));
            }
        }

        // Every cell of a row must be runnable: a layer set has to be able to place its spec, and a pre-training cell
        // pre-trains with it, which a learnable pattern cannot (it learns during fine-tuning, towards its target).
        private void CheckCells(YamlNode node, ExperimentPattern pattern, IReadOnlyList<LayerSet> layers, bool pretrains)
        {
            var spec = AttentionSpec.Parse(pattern.Spec);
            foreach (var set in layers)
            {
                try
                {
                    set.Apply(spec);
                }
                catch (ArgumentException e)
                {
                    throw Error(node, e.Message.TrimEnd('.'));
                }
            }
            if (pretrains && spec.Learnable is not null)
                throw Error(node, $"'pretrain: yes' cells pre-train with the row's pattern, and the learnable pattern {spec} learns during fine-tuning only; give it its own grid with pretrain: [no]");
        }

        // A row whose pattern reads a dependency parse (syntax(k)) needs every task to give the parses of its rows.
        // Pre-training reads a plain corpus, which has no parses.
        private void CheckParses(YamlNode node, ExperimentPattern pattern, IReadOnlyList<ExperimentTask> tasks, bool pretrains)
        {
            if (AttentionSpec.Parse(pattern.Spec).Pattern is not { } fixedPattern || !fixedPattern.Inputs.HasFlag(ContextInputs.DependencyHeads)) return;
            if (pretrains)
                throw Error(node, $"'pretrain: yes' cells pre-train with the row's pattern on a plain corpus, and the row '{pattern.Label}' ({pattern.Spec}) reads a dependency parse the corpus does not have; give it its own grid with pretrain: [no]");
            foreach (var task in tasks.Where(t => t.TrainParses is null))
                throw Error(node, $"the row '{pattern.Label}' ({pattern.Spec}) reads the dependency parse of every example, and the task {task.Name} gives none; add 'parses: {{train: FILE, dev: FILE}}' under the task (CoNLL-U, one sentence per text in row order)");
        }

        private LayerSet Layers(YamlNode node)
        {
            try
            {
                if (node is YamlScalarNode)
                {
                    string text = Scalar(node, "layers");
                    return text == "all" ? LayerSet.All : LayerSet.Parse(text, text);
                }
                var map = Mapping(node, "a layer set");
                if (map.Children.Count != 1) throw Error(node, "a layer set is 'all' or one 'name: ranges' pair, e.g. 'later: 6-11'");
                var (key, value) = map.Children.First();
                string name = Scalar(key, "layers");
                if (name.Contains('/', StringComparison.Ordinal)) throw Error(key, $"the layer set name '{name}' contains '/', which separates the parts of a cell id; choose another");
                return LayerSet.Parse(name, Scalar(value, name));
            }
            catch (Exception e) when (e is ArgumentException or FormatException && !e.Message.StartsWith(source, StringComparison.Ordinal))
            {
                throw Error(node, e.Message);
            }
        }

        private ExperimentBudget Budget(YamlNode node)
        {
            var map = Fields(Mapping(node, "budget"), _budgetKeys, "budget");
            var budget = new ExperimentBudget();
            try
            {
                if (map.TryGetValue("max_steps", out var s)) budget = budget with { MaxSteps = Int(s, "max_steps") };
                if (map.TryGetValue("epochs", out var e)) budget = budget with { Epochs = Int(e, "epochs") };
                if (map.TryGetValue("batch_size", out var b)) budget = budget with { BatchSize = Int(b, "batch_size") };
                if (map.TryGetValue("max_length", out var l)) budget = budget with { MaxLength = Int(l, "max_length") };
                if (map.TryGetValue("learning_rate", out var r)) budget = budget with { LearningRate = Double(r, "learning_rate") };
                if (map.TryGetValue("warmup_ratio", out var w)) budget = budget with { WarmupRatio = Double(w, "warmup_ratio") };
                if (map.TryGetValue("weight_decay", out var d)) budget = budget with { WeightDecay = Double(d, "weight_decay") };
                if (map.TryGetValue("classifier_pooling", out var p)) budget = budget with { ClassifierPooling = Pooling(p) };
                if (map.TryGetValue("group_by_length", out var g)) budget = budget with { GroupByLength = Bool(g, "group_by_length", "no or yes") };
                if (map.TryGetValue("eval_steps", out var v)) budget = budget with { EvalSteps = Int(v, "eval_steps") };
                if (map.TryGetValue("gate_bias_scale", out var c)) budget = budget with { GateBiasScale = Double(c, "gate_bias_scale") };
                if (map.TryGetValue("pattern_learning_rate", out var q)) budget = budget with { PatternLearningRate = Double(q, "pattern_learning_rate") };
            }
            catch (ArgumentException e)
            {
                throw Error(node, e.Message.Split(" (Parameter", 2)[0]);
            }
            return budget;
        }

        private ExperimentPretraining Pretraining(YamlNode node)
        {
            var map = Fields(Mapping(node, "pretraining"), _pretrainingKeys, "pretraining");
            var pretraining = new ExperimentPretraining { CorpusPath = PathOf(Required(map, node, "corpus"), "corpus") };
            // Each value is checked by the record; an out-of-range one is reported at its own line.
            void Set(string key, Func<YamlNode, ExperimentPretraining> apply)
            {
                if (!map.TryGetValue(key, out var value)) return;
                try
                {
                    pretraining = apply(value);
                }
                catch (ArgumentException e)
                {
                    throw Error(value, e.Message.Split(" (Parameter", 2)[0].TrimEnd('.'));
                }
            }
            Set("max_steps", v => pretraining with { MaxSteps = Int(v, "max_steps") });
            Set("epochs", v => pretraining with { Epochs = Int(v, "epochs") });
            Set("batch_size", v => pretraining with { BatchSize = Int(v, "batch_size") });
            Set("max_length", v => pretraining with { MaxLength = Int(v, "max_length") });
            Set("learning_rate", v => pretraining with { LearningRate = Double(v, "learning_rate") });
            Set("mlm_probability", v => pretraining with { MlmProbability = Double(v, "mlm_probability") });
            Set("validation_share", v => pretraining with { ValidationShare = Double(v, "validation_share") });
            return pretraining;
        }

        private string Canonical(YamlNode node, string spec)
        {
            try
            {
                return AttentionSpec.Parse(spec).ToString();
            }
            catch (SpecException e)
            {
                throw Error(node, $"pattern '{spec}': {e.Message}");
            }
        }

        private bool Bool(YamlNode node, string key, string accepted)
        {
            string text = Scalar(node, key).ToLowerInvariant();
            return text switch
            {
                "no" or "false" => false,
                "yes" or "true" => true,
                _ => throw Error(node, $"{key} takes {accepted}, got '{text}'"),
            };
        }

        private Modeling.ClassifierPooling Pooling(YamlNode node) => Scalar(node, "classifier_pooling").ToLowerInvariant() switch
        {
            "cls" => Modeling.ClassifierPooling.Cls,
            "mean" => Modeling.ClassifierPooling.Mean,
            var text => throw Error(node, $"classifier_pooling takes cls or mean, got '{text}'"),
        };

        private Dictionary<string, YamlNode> Fields(YamlMappingNode node, string[] known, string what)
        {
            var fields = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            foreach (var (key, value) in node.Children)
            {
                string name = Scalar(key, what);
                if (!known.Contains(name)) throw Error(key, $"unknown key '{name}' in {what}; the keys are {string.Join(", ", known)}");
                fields[name] = value;
            }
            return fields;
        }

        private YamlNode Required(Dictionary<string, YamlNode> map, YamlNode owner, string key) =>
            map.TryGetValue(key, out var node) ? node : throw Error(owner, $"'{key}:' is missing");

        private YamlMappingNode Mapping(YamlNode node, string what) =>
            node as YamlMappingNode ?? throw Error(node, $"{what} must be a mapping of key: value pairs");

        private List<YamlNode> Sequence(YamlNode node, string key)
        {
            if (node is YamlScalarNode) return [node];   // `seeds: 1` means [1]
            var items = (node as YamlSequenceNode ?? throw Error(node, $"'{key}:' must be a list")).Children.ToList();
            return items.Count > 0 ? items : throw Error(node, $"'{key}:' is empty; give at least one");
        }

        private string Scalar(YamlNode node, string key) =>
            node is YamlScalarNode { Value: { Length: > 0 } value } ? value : throw Error(node, $"'{key}' must be a single non-empty value");

        private int Int(YamlNode node, string key) =>
            int.TryParse(Scalar(node, key), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : throw Error(node, $"'{key}' must be an integer, got '{Scalar(node, key)}'");

        private int Positive(YamlNode node, string key) =>
            Int(node, key) is int value and > 0 ? value : throw Error(node, $"'{key}' must be at least 1");

        private double Double(YamlNode node, string key) =>
            double.TryParse(Scalar(node, key), NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : throw Error(node, $"'{key}' must be a number, got '{Scalar(node, key)}'");

        private string PathOf(YamlNode node, string key) => Path.GetFullPath(Path.Combine(baseDirectory, Scalar(node, key)));

        // Another grid's spec file whose finished cells this one may take; read when the grid runs, so only its path is checked here.
        private string ReusedSpec(YamlNode node)
        {
            var path = PathOf(node, "reuse");
            if (!File.Exists(path)) throw Error(node, $"'reuse' names {path}, which does not exist; list the spec files (YAML) of grids whose finished cells this grid may take");
            if (path == source) throw Error(node, "'reuse' names this spec itself; a grid already reports a cell the same as an earlier one from it");
            return path;
        }

        // A model folder relative to the spec, or a built-in model's name (minilm), converted on first use.
        private string ModelPath(YamlNode node)
        {
            var path = PathOf(node, "model");
            return Directory.Exists(path) || BuiltInModels.Find(Scalar(node, "model")) is null ? path : BuiltInModels.Resolve(Scalar(node, "model"));
        }

        private void Unique(YamlNode node, IEnumerable<string> values, string what)
        {
            var repeated = values.GroupBy(x => x, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (repeated is not null) throw Error(node, $"the {what} '{repeated.Key}' is listed twice; cells would share an id");
        }

        private FormatException Error(YamlNode node, string message) => new($"{source}:{node.Start.Line}: {message}.");
    }
}
