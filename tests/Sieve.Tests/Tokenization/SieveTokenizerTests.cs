// WordPiece encoding against bert-base-uncased's vocab.txt. Every expected id was looked up by hand with
// `grep -n -x TOKEN vocab.txt` (id = line number − 1); pieces and words follow HF BertTokenizer's rules.
using Sieve.TestSupport;
using Sieve.Tokenization;

namespace Sieve.Tests.Tokenization;

public sealed class SieveTokenizerTests
{
    private const int Cls = 101, Sep = 102, Pad = 0, Unk = 100;

    private static readonly Lazy<SieveTokenizer> _uncased = new(() => SieveTokenizer.Create(Vocab));

    private static string Vocab => Fixtures.PathOf("vocab/bert-base-uncased/vocab.txt");

    private static SieveTokenizer Uncased => _uncased.Value;

    [Fact]
    public void Sentence_with_capitals_and_punctuation_is_lower_cased_and_split_on_every_mark()
    {
        var x = Uncased.Encode("Hello, World!");

        // hello 7592, "," 1010, world 2088, "!" 999.
        Assert.Equal<int>([Cls, 7592, 1010, 2088, 999, Sep], x.InputIds);
        Assert.Equal<string>(["[CLS]", "hello", ",", "world", "!", "[SEP]"], x.Tokens);
        Assert.Equal<int>([0, 0, 0, 0, 0, 0], x.TokenTypeIds);
        Assert.Equal<int>([1, 1, 1, 1, 1, 1], x.AttentionMask);
        Assert.Equal<int>([-1, 0, 1, 2, 3, -1], x.WordIds);
        Assert.Equal<int>([0, 5], x.SpecialTokenPositions);
        Assert.Equal(6, x.RealLength);
        Assert.Equal(6, x.Length);
        Assert.Equal(4, x.WordCount);
        Assert.Equal(0, x.TruncatedTokens);
    }

    [Fact]
    public void Words_missing_from_the_vocabulary_split_into_pieces_that_share_their_word_index()
    {
        var x = Uncased.Encode("Sieve tokenizes unbelievably");

        // sieve, tokenizes and unbelievably are not entries; greedy longest-match gives
        // si 9033 ##eve 18697 | token 19204 ##izes 10057 | un 4895 ##bel 8671 ##ie 2666 ##va 3567 ##bly 6321.
        Assert.Equal<int>([Cls, 9033, 18697, 19204, 10057, 4895, 8671, 2666, 3567, 6321, Sep], x.InputIds);
        Assert.Equal<string>(["[CLS]", "si", "##eve", "token", "##izes", "un", "##bel", "##ie", "##va", "##bly", "[SEP]"], x.Tokens);
        Assert.Equal<int>([-1, 0, 0, 1, 1, 2, 2, 2, 2, 2, -1], x.WordIds);
        Assert.Equal(3, x.WordCount);
    }

    [Fact]
    public void Accents_are_stripped_for_an_uncased_vocabulary()
    {
        var x = Uncased.Encode("Café résumé, naïve.");

        // cafe 7668, resume 13746, "," 1010, naive 15743, "." 1012; the accented forms are not entries.
        Assert.Equal<int>([Cls, 7668, 13746, 1010, 15743, 1012, Sep], x.InputIds);
        Assert.Equal<int>([-1, 0, 1, 2, 3, 4, -1], x.WordIds);
    }

    [Fact]
    public void A_cased_tokenizer_keeps_capitals_so_an_uncased_vocabulary_has_no_entry_for_them()
    {
        // The uncased vocabulary has no entry starting with a capital, so "Hello" has no first piece: the word is [UNK].
        var cased = SieveTokenizer.Create(Vocab, new TokenizerOptions { LowerCase = false });

        Assert.False(cased.Options.StripsAccents);
        Assert.Equal<int>([Cls, Unk, 2088, Sep], cased.Encode("Hello world").InputIds);
    }

    [Fact]
    public void A_pair_gets_segment_ids_and_words_counted_across_both_sentences()
    {
        var x = Uncased.Encode("The cat sat on the mat.", "It was happy.");

        // the 1996 cat 4937 sat 2938 on 2006 mat 13523 "." 1012 | it 2009 was 2001 happy 3407.
        Assert.Equal<int>([Cls, 1996, 4937, 2938, 2006, 1996, 13523, 1012, Sep, 2009, 2001, 3407, 1012, Sep], x.InputIds);
        Assert.Equal<int>([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1], x.TokenTypeIds);
        Assert.Equal<int>([-1, 0, 1, 2, 3, 4, 5, 6, -1, 7, 8, 9, 10, -1], x.WordIds);
        Assert.Equal<int>([0, 8, 13], x.SpecialTokenPositions);
        Assert.Equal(11, x.WordCount);
    }

    [Fact]
    public void Longest_first_truncation_cuts_the_longer_sentence_until_both_are_even()
    {
        // 7 + 4 pieces, room for 10 − 3 = 7: the first loses 3 (7 → 4), then on the tie the second loses 1 (4 → 3).
        var x = Uncased.Encode("The cat sat on the mat.", "It was happy.", new EncodeOptions { MaxLength = 10 });

        Assert.Equal<int>([Cls, 1996, 4937, 2938, 2006, Sep, 2009, 2001, 3407, Sep], x.InputIds);
        Assert.Equal<int>([0, 0, 0, 0, 0, 0, 1, 1, 1, 1], x.TokenTypeIds);
        Assert.Equal<int>([-1, 0, 1, 2, 3, -1, 4, 5, 6, -1], x.WordIds);
        Assert.Equal(4, x.TruncatedTokens);
        Assert.Equal(7, x.WordCount);
    }

    [Fact]
    public void Longest_first_truncation_takes_from_the_second_sentence_on_a_tie()
    {
        // 4 + 4 pieces, room for 5: HF's truncate_sequences removes from B (tie), A (4 > 3), B (tie): 3 + 2 kept.
        var x = Uncased.Encode("the cat sat on", "it was very happy", new EncodeOptions { MaxLength = 8 });

        Assert.Equal<int>([Cls, 1996, 4937, 2938, Sep, 2009, 2001, Sep], x.InputIds);
        Assert.Equal(3, x.TruncatedTokens);
    }

    [Fact]
    public void A_single_sentence_is_truncated_at_its_end_and_a_cut_word_keeps_its_index()
    {
        // Room for 3 pieces: si ##eve token — "tokenizes" keeps its first piece only.
        var x = Uncased.Encode("Sieve tokenizes unbelievably", options: new EncodeOptions { MaxLength = 5 });

        Assert.Equal<int>([Cls, 9033, 18697, 19204, Sep], x.InputIds);
        Assert.Equal<int>([-1, 0, 0, 1, -1], x.WordIds);
        Assert.Equal(6, x.TruncatedTokens);
        Assert.Equal(2, x.WordCount);
    }

    [Fact]
    public void Without_truncation_an_input_that_does_not_fit_is_an_error_saying_how_long_it_is()
    {
        var options = new EncodeOptions { MaxLength = 5, Truncation = TruncationStrategy.None };

        var e = Assert.Throws<ArgumentException>(() => Uncased.Encode("Hello, World!", options: options));
        Assert.Contains("6 tokens", e.Message, StringComparison.Ordinal);
        Assert.Contains("MaxLength 5", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encodings_compare_by_content()
    {
        Assert.Equal(Uncased.Encode("Hello, World!"), Uncased.Encode("hello ,world !"));
        Assert.NotEqual(Uncased.Encode("Hello, World!"), Uncased.Encode("Hello, World?"));
        Assert.NotEqual(Uncased.Encode("Hello, World!"), Uncased.Encode("Hello, World!", options: new EncodeOptions { MaxLength = 7, Padding = PaddingStrategy.MaxLength }));
    }

    [Fact]
    public void Padding_to_max_length_appends_pad_tokens_that_are_masked_and_belong_to_no_word()
    {
        var x = Uncased.Encode("Hello, World!", options: new EncodeOptions { MaxLength = 9, Padding = PaddingStrategy.MaxLength });

        Assert.Equal<int>([Cls, 7592, 1010, 2088, 999, Sep, Pad, Pad, Pad], x.InputIds);
        Assert.Equal<int>([1, 1, 1, 1, 1, 1, 0, 0, 0], x.AttentionMask);
        Assert.Equal<int>([0, 0, 0, 0, 0, 0, 0, 0, 0], x.TokenTypeIds);
        Assert.Equal<int>([-1, 0, 1, 2, 3, -1, -1, -1, -1], x.WordIds);
        Assert.Equal<string>(["[PAD]", "[PAD]", "[PAD]"], x.Tokens.Skip(6));
        Assert.Equal(6, x.RealLength);
        Assert.Equal(9, x.Length);
    }

    [Fact]
    public void A_batch_padded_to_its_longest_input_gives_row_major_arrays_and_real_lengths()
    {
        var batch = Uncased.EncodeBatch(["Hello, World!", "The cat sat on the mat."], options: new EncodeOptions { Padding = PaddingStrategy.Longest });

        Assert.Equal(2, batch.Count);
        Assert.Equal(9, batch.Length);
        Assert.Equal<int>([6, 9], batch.Lengths);
        Assert.Equal(
            [Cls, 7592, 1010, 2088, 999, Sep, Pad, Pad, Pad,
             Cls, 1996, 4937, 2938, 2006, 1996, 13523, 1012, Sep],
            batch.InputIds);
        Assert.Equal([1L, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1], batch.AttentionMask);
        Assert.All(batch.TokenTypeIds, t => Assert.Equal(0L, t));
        Assert.Equal(batch.Inputs[0], Uncased.Encode("Hello, World!", options: new EncodeOptions { MaxLength = 9, Padding = PaddingStrategy.MaxLength }));
    }

    [Fact]
    public void A_batch_of_pairs_pads_to_max_length_and_keeps_segment_ids()
    {
        var batch = Uncased.EncodeBatch(["Hello, World!"], ["It was happy."], new EncodeOptions { MaxLength = 12, Padding = PaddingStrategy.MaxLength });

        Assert.Equal(12, batch.Length);
        Assert.Equal([Cls, 7592, 1010, 2088, 999, Sep, 2009, 2001, 3407, 1012, Sep, Pad], batch.InputIds);
        Assert.Equal([0L, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0], batch.TokenTypeIds);
        Assert.Equal<int>([11], batch.Lengths);
    }

    [Fact]
    public void A_ragged_batch_without_padding_is_an_error_that_names_the_fix()
    {
        var e = Assert.Throws<ArgumentException>(() => Uncased.EncodeBatch(["Hello, World!", "The cat sat on the mat."]));
        Assert.Contains("PaddingStrategy.Longest", e.Message, StringComparison.Ordinal);

        var f = Assert.Throws<ArgumentException>(() => Uncased.EncodeBatch(["a", "b"], ["c"]));
        Assert.Contains("got 2 and 1", f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pair_needs_room_for_three_special_tokens()
    {
        var e = Assert.Throws<ArgumentException>(() => Uncased.Encode("a", "b", new EncodeOptions { MaxLength = 2 }));
        Assert.Contains("at least 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_RTE_hypothesis_from_the_GLUE_dev_file_encodes_to_hand_checked_ids()
    {
        // dev.tsv: index, sentence1, sentence2, label; example 0's hypothesis is "Christopher Reeve had an accident."
        var row = File.ReadLines(Fixtures.PathOf("glue/RTE/dev.tsv")).Skip(1).Select(l => l.Split('\t')).First(c => c[0] == "0");

        var x = Uncased.Encode(row[2]);

        // christopher 5696 reeve 20726 had 2018 an 2019 accident 4926 "." 1012.
        Assert.Equal<int>([Cls, 5696, 20726, 2018, 2019, 4926, 1012, Sep], x.InputIds);
        Assert.Equal<int>([-1, 0, 1, 2, 3, 4, 5, -1], x.WordIds);
    }

    [Fact]
    public void The_tiny_bert_fixture_inputs_are_reproduced_from_their_text()
    {
        // golden.json holds ids, not text: the text is rebuilt from the fixture's own vocab.txt (entry = line), the
        // [SEP]s split a pair, and the tokenizer must give back the ids, segments and mask HF used.
        var dir = Fixtures.PathOf("tiny-bert");
        var vocab = File.ReadAllLines(Path.Combine(dir, "vocab.txt"));
        var tokenizer = SieveTokenizer.FromCheckpoint(dir);
        using var golden = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "golden.json")));

        var cases = golden.RootElement.GetProperty("cases").EnumerateArray().ToArray();
        Assert.Equal(3, cases.Length);
        foreach (var c in cases)
        {
            int[] Ints(string name) => [.. c.GetProperty(name).EnumerateArray().Select(v => v.GetInt32())];
            var ids = Ints("input_ids");
            var real = ids.Where(id => id != tokenizer.PadTokenId).ToArray();
            var seps = real.Select((id, i) => (id, i)).Where(p => p.id == tokenizer.SepTokenId).Select(p => p.i).ToArray();
            string Text(int from, int to) => string.Join(' ', real[from..to].Select(id => vocab[id]));
            var first = Text(1, seps[0]);
            var second = seps.Length > 1 ? Text(seps[0] + 1, seps[1]) : null;

            var x = tokenizer.Encode(first, second, new EncodeOptions { MaxLength = ids.Length, Padding = PaddingStrategy.MaxLength });

            Assert.Equal(ids, x.InputIds);
            Assert.Equal(Ints("token_type_ids"), x.TokenTypeIds);
            Assert.Equal(Ints("attention_mask"), x.AttentionMask);
        }
    }
}
