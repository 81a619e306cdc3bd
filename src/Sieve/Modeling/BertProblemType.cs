// The three losses of HF's BertForSequenceClassification, chosen from num_labels / problem_type / the labels' type.
namespace Sieve.Modeling;

/// <summary>What a sequence-classification head's logits mean, and hence its loss.</summary>
public enum BertProblemType
{
    /// <summary>Real-valued targets, mean squared error (num_labels = 1, e.g. STS-B).</summary>
    Regression,

    /// <summary>One class per example, cross-entropy.</summary>
    SingleLabelClassification,

    /// <summary>Independent yes/no per label, binary cross-entropy with logits.</summary>
    MultiLabelClassification,
}
