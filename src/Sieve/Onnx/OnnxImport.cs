// `sieve import onnx`: an ONNX BERT export and its vocab.txt become a Hugging Face model folder (config.json,
// model.safetensors, vocab.txt, tokenizer_config.json) that every Sieve command loads. The folder appears whole or not.
using Sieve.Checkpoints;
using Sieve.Tokenization;
using static TorchSharp.torch;

namespace Sieve.Onnx;

/// <summary>Writes an <see cref="ImportedBert"/> as an HF folder.</summary>
public static class OnnxImport
{
    /// <summary>Reads <paramref name="onnxPath"/> and writes the folder <paramref name="output"/>; see <see cref="WriteFolder"/>.</summary>
    public static ImportedBert Run(string onnxPath, string vocabPath, string output, bool? lowerCase = null, IProgress<string>? progress = null)
    {
        CheckVocab(vocabPath);
        CheckOutput(output);
        var imported = OnnxBertReader.Read(onnxPath, progress);
        WriteFolder(imported, vocabPath, output, lowerCase, progress);
        return imported;
    }

    /// <summary>
    /// Writes <paramref name="model"/> with the vocabulary <paramref name="vocabPath"/> to the new folder
    /// <paramref name="output"/> (atomically: staged beside it, then renamed). The tokenizer lower-cases when
    /// <paramref name="lowerCase"/> says so, or, when null, when the vocabulary has no upper-case entries (an uncased
    /// WordPiece vocabulary, as bert-base-uncased's).
    /// </summary>
    /// <exception cref="OnnxImportException">The vocabulary does not fit the model, or the folder exists and is not empty.</exception>
    public static void WriteFolder(ImportedBert model, string vocabPath, string output, bool? lowerCase = null, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var vocab = CheckVocab(vocabPath);
        CheckOutput(output);
        if (vocab.Length > model.Config.VocabSize)
            throw new OnnxImportException($"{vocabPath} has {vocab.Length} entries but the model's word embeddings hold {model.Config.VocabSize}; give the vocab.txt the model was exported with.");
        var pad = Array.IndexOf(vocab, "[PAD]");
        var config = model.Config with { PadTokenId = pad };
        var options = new TokenizerOptions { LowerCase = lowerCase ?? !HasUpperCaseEntries(vocab) };

        var full = Path.GetFullPath(output.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
        var parent = Path.GetDirectoryName(full) ?? throw new OnnxImportException($"{output}: cannot write a model folder at a file-system root.");
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(full)}.staging-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            progress?.Report($"writing {model.Weights.Count} tensors ({model.ParameterCount / 1e6:0.0} M parameters)");
            using (var scope = NewDisposeScope())
            {
                var tensors = model.Weights.ToDictionary(w => w.Key, w => tensor(w.Value.Values, w.Value.Shape), StringComparer.Ordinal);
                SafeTensorsWriter.Write(Path.Combine(staging, SafeTensorsCheckpoint.SingleFileName), tensors,
                    new Dictionary<string, string> { ["format"] = "pt", ["source"] = Path.GetFileName(model.Source) });
            }
            File.WriteAllText(Path.Combine(staging, BertCheckpoint.ConfigFileName), config.ToJson());
            File.Copy(vocabPath, Path.Combine(staging, BertCheckpoint.VocabFileName));
            options.Save(staging, config.MaxPositionEmbeddings);
            if (Directory.Exists(full)) Directory.Delete(full);     // empty: CheckOutput refused anything else
            Directory.Move(staging, full);
            progress?.Report($"wrote {full}");
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    private static string[] CheckVocab(string vocabPath)
    {
        ArgumentNullException.ThrowIfNull(vocabPath);
        if (!File.Exists(vocabPath)) throw new OnnxImportException($"{vocabPath}: no such vocabulary file; give the model's WordPiece vocab.txt with --vocab.");
        var vocab = File.ReadAllLines(vocabPath);
        var missing = new[] { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" }.Where(t => !vocab.Contains(t)).ToList();
        if (missing.Count > 0)
            throw new OnnxImportException($"{vocabPath} lacks {string.Join(", ", missing)}; it is not a BERT WordPiece vocab.txt.");
        return vocab;
    }

    private static void CheckOutput(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (File.Exists(output)) throw new OnnxImportException($"{output} is a file; give a new folder to write the model to.");
        if (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any())
            throw new OnnxImportException($"{output} exists and is not empty; give a new folder (nothing was written).");
    }

    // Cased vocabularies (bert-base-cased) hold "The" beside "the"; uncased ones hold no capital A–Z outside the
    // bracketed special tokens (bert-base-uncased still has a few symbols Unicode calls upper-case, such as ℝ).
    private static bool HasUpperCaseEntries(string[] vocab) =>
        vocab.Any(entry => !(entry.StartsWith('[') && entry.EndsWith(']')) && entry.Any(char.IsAsciiLetterUpper));
}
