// A seeded fuzz of the whole spec grammar as `finetune --pattern` routes it (learnable, variant, pattern, schedules):
// mutations of valid specs must parse, or fail with a spec error at a column; never another exception, never a stack
// overflow, never longer than a bound; and what parses must bind to a layout at a short length in bounded time.
using System.Diagnostics;
using System.Text;
using Sieve.Learnable;
using Sieve.Patterns;
using Sieve.Specs;

namespace Sieve.Tests.Specs;

public class SpecFuzzTests
{
    private const int Cases = 600;
    private static readonly TimeSpan _bound = TimeSpan.FromSeconds(2);

    private static readonly string[] _seeds =
    [
        "full", "local(2)+global(1)", "dilated(2,3)", "longformer(4,2,1)", "bigbird(1,2,3,seed=4)", "bigbird_blocks(4,1)",
        "strided(4)", "fixed(4,1,causal=false)", "axis(rows=[0,3],cols=[1])", "diagonal(0,1,-5)", "random(2,seed=7)",
        "(local(1)+global(1))&strided(2)", "local(3)-(local(1)-diagonal(0))", "layers(0-5:full;6-11:local(1)+global(1))",
        "heads(0-3:local(2);*:global(2))", "layers(0:star;1-2:heads(0:full;1-11:local(1));*:full)-diagonal(0)",
        "learned_diagonal(max_offset=16,level=task)+global(1)", "aaa(local=2)", "learned_degree(max_degree=4,per=head)",
        "linformer(k=8)", "synthesizer(kind=random)", "layers(0-1:linformer(k=4);*:local(2))", "logsparse(causal=false)",
    ];

    // Pieces a mutation inserts: every symbol of the grammar, names, and numbers at the edges of int and long.
    private static readonly string[] _pieces =
    [
        "(", ")", "[", "]", ",", "=", "+", "-", "&", ":", ";", "*", " ", "0", "1", "-1", "2147483647", "2147483648",
        "9223372036854775807", "99999999999999999999", "1000000000", "layers(", "heads(", "local(", "global(", "aaa(",
        "k=", "seed=", "special=", "é", "\t", "\0", "((((((((((((((((((((((((((((((((((((",
    ];

    [Fact]
    public void Mutated_specs_parse_or_fail_with_a_spec_error_in_bounded_time()
    {
        var random = new Random(20261203);
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < Cases; i++)
        {
            string spec = Mutate(_seeds[random.Next(_seeds.Length)], random);
            var clock = Stopwatch.StartNew();
            string outcome = Attempt(spec);
            Assert.True(clock.Elapsed < _bound, $"'{spec}' took {clock.Elapsed}");
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }
        // The mutations must exercise both sides, or the test proves nothing.
        Assert.True(outcomes.GetValueOrDefault("parsed") > Cases / 10, string.Join(", ", outcomes));
        Assert.True(outcomes.GetValueOrDefault("refused") > Cases / 10, string.Join(", ", outcomes));
    }

    private static string Attempt(string spec)
    {
        try
        {
            if (LearnableSpec.IsLearnable(spec))
            {
                var learnable = LearnableSpec.Parse(spec);
                learnable.CheckFits(64);
                return "parsed";
            }
            var attention = AttentionSpec.Parse(spec);
            if (attention.Pattern is { } pattern) Bind(pattern);
            return "parsed";
        }
        catch (FormatException e) when (e is SpecException or SpecException)
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
            Assert.True(e.Message.Length < 600, $"'{spec}': a {e.Message.Length}-character message");
            return "refused";
        }
        catch (ArgumentException e) when (e.Message.Contains("beyond the model's", StringComparison.Ordinal))
        {
            return "refused";
        }
    }

    private static void Bind(Pattern pattern)
    {
        for (int layer = 0; layer < 3; layer++)
        {
            var used = pattern.ForLayerHead(layer, 0);
            try
            {
                CsrLayout.Build(used, new PatternContext(16) { Layer = layer }, EmptyRowPolicy.Keep);
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException && e.Message.Contains("needs PatternContext", StringComparison.Ordinal))
            {
                // syntax, lexical and token-set globals need the example's parse, embeddings or special tokens.
            }
        }
    }

    private static string Mutate(string seed, Random random)
    {
        var text = new StringBuilder(seed);
        int edits = 1 + random.Next(3);
        for (int e = 0; e < edits; e++)
        {
            int at = random.Next(text.Length + 1);
            switch (random.Next(5))
            {
                case 0:
                    text.Insert(at, _pieces[random.Next(_pieces.Length)]);
                    break;
                case 1:
                    if (at < text.Length) text.Remove(at, Math.Min(1 + random.Next(3), text.Length - at));
                    break;
                case 2:
                    ReplaceANumber(text, random);
                    break;
                case 3:
                    int depth = random.Next(2) == 0 ? 3 : 5000;
                    text.Insert(0, new string('(', depth)).Append(')', depth);
                    break;
                default:
                    text.Append(random.Next(2) == 0 ? "+" : "&").Append(_seeds[random.Next(_seeds.Length)]);
                    break;
            }
        }
        return text.ToString();
    }

    private static void ReplaceANumber(StringBuilder text, Random random)
    {
        string s = text.ToString();
        var digits = Enumerable.Range(0, s.Length).Where(i => char.IsAsciiDigit(s[i])).ToArray();
        if (digits.Length == 0) return;
        int at = digits[random.Next(digits.Length)];
        string[] huge = ["1000000000", "2147483647", "2147483648", "0", "99999999999999999999"];
        text.Remove(at, 1).Insert(at, huge[random.Next(huge.Length)]);
    }
}
