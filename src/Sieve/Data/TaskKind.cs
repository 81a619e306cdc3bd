// The tasks Sieve reads data for: the nine GLUE tasks (METHODS.md §16) and the two Long Range Arena tasks it uses
// (§15: ListOps and byte-level text). The command line names them `cola`, `sst2`, … `listops`, `text`.
namespace Sieve.Data;

/// <summary>A task with a data layout Sieve knows; see <see cref="TaskDefinition.For(TaskKind)"/>.</summary>
public enum TaskKind
{
    /// <summary>GLUE CoLA: acceptability, MCC.</summary>
    Cola,

    /// <summary>GLUE SST-2: sentiment, accuracy.</summary>
    Sst2,

    /// <summary>GLUE MRPC: paraphrase, F1 and accuracy.</summary>
    Mrpc,

    /// <summary>GLUE STS-B: similarity score 0–5 (regression), Pearson and Spearman.</summary>
    Stsb,

    /// <summary>GLUE QQP: duplicate questions, F1 and accuracy.</summary>
    Qqp,

    /// <summary>GLUE MNLI: three-way entailment, accuracy on matched and mismatched dev.</summary>
    Mnli,

    /// <summary>GLUE QNLI: question/sentence entailment, accuracy.</summary>
    Qnli,

    /// <summary>GLUE RTE: two-way entailment, accuracy.</summary>
    Rte,

    /// <summary>GLUE WNLI: Winograd entailment, accuracy (not used by AAA).</summary>
    Wnli,

    /// <summary>LRA ListOps: value 0–9 of a nested MIN/MAX/MED/SM expression.</summary>
    ListOps,

    /// <summary>LRA Text style: classification of any text + label file, in bytes from scratch, in wordpieces on a model with a vocabulary.</summary>
    Text,
}
