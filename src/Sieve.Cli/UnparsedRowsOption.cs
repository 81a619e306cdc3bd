// `--unparsed-rows error|no-arcs`, shared by finetune and evaluate: what a row gets whose CoNLL-U parse is missing or
// does not match its text (syntax(k)); one definition so that both commands spell and describe it alike.
using System.CommandLine;
using Sieve.FineTuning;

namespace Sieve.Cli;

/// <summary>Creates and reads the <c>--unparsed-rows</c> option.</summary>
internal static class UnparsedRowsOption
{
    public static Option<string> Create()
    {
        var option = new Option<string>("--unparsed-rows")
        {
            Description = "A row whose parse is missing or does not match its text: error (stop, naming the parse file and sentence and the data row) or no-arcs (its words get no dependency arcs, counted on stderr).",
            DefaultValueFactory = _ => "error",
        };
        option.AcceptOnlyFromAmong("error", "no-arcs");
        return option;
    }

    public static UnparsedRowPolicy Read(ParseResult parse, Option<string> option) =>
        parse.GetValue(option) == "no-arcs" ? UnparsedRowPolicy.NoArcs : UnparsedRowPolicy.Error;
}
