// Which vector the sequence-classification head reads: HF's pooler over [CLS], or the masked mean that
// sentence-transformers models (all-MiniLM-L6-v2) were trained to produce. Saved as config.json's "classifier_pooling".
using System.Text.Json.Serialization;

namespace Sieve.Modeling;

/// <summary>The input of <see cref="BertForSequenceClassification"/>'s classifier.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ClassifierPooling>))]
public enum ClassifierPooling
{
    /// <summary>HF's BertForSequenceClassification: tanh(dense([CLS])) from the pooler. The default; omitted from config.json.</summary>
    [JsonStringEnumMemberName("cls")] Cls,

    /// <summary>
    /// The mean of the last hidden state over the real tokens (padding excluded), as sentence-transformers' mean pooling but
    /// not normalised; the model has no pooler. For encoders whose [CLS] and pooler were not trained, e.g. all-MiniLM-L6-v2.
    /// </summary>
    [JsonStringEnumMemberName("mean")] Mean,
}
