#!/usr/bin/python3
# Writes hf_tokenizer_fixture.json and hf_fixture_vocab.txt: the ids HF's slow BertTokenizer (transformers'
# tokenization_bert.py: BasicTokenizer + WordpieceTokenizer, called through PreTrainedTokenizer.tokenize) gives for
# real GLUE rows with non-ASCII text and for hand-written edge cases. Standard library only: this is an independent
# re-implementation of HF's algorithm, the reference the C# SieveTokenizer is tested against.
#
# Usage (from the repository root):
#   /usr/bin/python3 tests/Sieve.Tests/Tokenization/make_hf_fixture.py ../shared/data
import json
import os
import sys
import unicodedata

SPECIALS = ["[UNK]", "[SEP]", "[PAD]", "[CLS]", "[MASK]"]
MAX_INPUT_CHARS_PER_WORD = 100


def is_whitespace(ch):
    return ch in " \t\n\r" or unicodedata.category(ch) == "Zs"


def is_control(ch):
    if ch in "\t\n\r":
        return False
    return unicodedata.category(ch).startswith("C")


def is_punctuation(ch):
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def is_chinese_char(cp):
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF
            or 0x2A700 <= cp <= 0x2B73F or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF
            or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


def clean_text(text):
    out = []
    for ch in text:
        cp = ord(ch)
        if cp == 0 or cp == 0xFFFD or is_control(ch):
            continue
        out.append(" " if is_whitespace(ch) else ch)
    return "".join(out)


def tokenize_chinese_chars(text):
    return "".join(f" {ch} " if is_chinese_char(ord(ch)) else ch for ch in text)


def strip_accents(text):
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn")


def split_on_punc(text):
    if text in SPECIALS:
        return [text]
    out, new_word = [], True
    for ch in text:
        if is_punctuation(ch):
            out.append([ch])
            new_word = True
        else:
            if new_word:
                out.append([])
            new_word = False
            out[-1].append(ch)
    return ["".join(x) for x in out]


def basic_tokenize(text, lower, strip):
    text = clean_text(text)
    text = tokenize_chinese_chars(text)
    text = unicodedata.normalize("NFC", text)
    split = []
    for token in text.split():
        if token not in SPECIALS:
            if lower:
                token = token.lower()
                if strip is not False:
                    token = strip_accents(token)
            elif strip:
                token = strip_accents(token)
        split.extend(split_on_punc(token))
    return " ".join(split).split()


def wordpiece(word, vocab):
    chars = list(word)
    if len(chars) > MAX_INPUT_CHARS_PER_WORD:
        return ["[UNK]"]
    pieces, start = [], 0
    while start < len(chars):
        end, cur = len(chars), None
        while start < end:
            sub = "".join(chars[start:end])
            if start > 0:
                sub = "##" + sub
            if sub in vocab:
                cur = sub
                break
            end -= 1
        if cur is None:
            return ["[UNK]"]
        pieces.append(cur)
        start = end
    return pieces


def split_specials(text):
    # PreTrainedTokenizer.tokenize cuts the special tokens out of the text (its trie, case-sensitive) before the
    # basic tokenizer sees it; for do_lower_case it first lower-cases every other character one at a time
    # (re.sub with "(.+?)"), which is why Python's context-dependent final sigma never applies.
    parts, i, last = [], 0, 0
    while i < len(text):
        hit = next((s for s in SPECIALS if text.startswith(s, i)), None)
        if hit:
            parts.append((False, text[last:i]))
            parts.append((True, hit))
            i += len(hit)
            last = i
        else:
            i += 1
    parts.append((False, text[last:]))
    return [p for p in parts if p[1]]


def tokenize(text, vocab, lower=True, strip=None):
    tokens = []
    for special, part in split_specials(text):
        if special:
            tokens.append(part)
            continue
        if lower:
            part = "".join(ch.lower() for ch in part)
        for word in basic_tokenize(part, lower, strip):
            tokens.extend(wordpiece(word, vocab))
    return tokens


def encode(vocab, first, second=None, lower=True):
    tokens = ["[CLS]"] + tokenize(first, vocab, lower) + ["[SEP]"]
    types = [0] * len(tokens)
    if second is not None:
        b = tokenize(second, vocab, lower) + ["[SEP]"]
        tokens += b
        types += [1] * len(b)
    return tokens, types


def load_vocab(path):
    vocab = {}
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f):
            vocab[line.rstrip("\n")] = i
    return vocab


def glue_rows(data, task, split, columns):
    path = os.path.join(data, "glue", task, f"{split}.tsv")
    with open(path, encoding="utf-8", newline="\n") as f:
        lines = f.read().split("\n")
    header = lines[0].split("\t")
    rows = []
    for n, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        if len(cells) != len(header):
            continue
        texts = [cells[header.index(c)] for c in columns]
        if any(ord(ch) > 127 for t in texts for ch in t):
            rows.append((f"{task}/{split}.tsv:{n}", texts))
    return rows


def pick(rows, count):
    # Every distinct non-ASCII character first (rarest first), then the earliest remaining rows, up to count.
    chosen, seen = [], set()
    chars = {}
    for r in rows:
        for ch in "".join(r[1]):
            if ord(ch) > 127:
                chars[ch] = chars.get(ch, 0) + 1
    for ch in sorted(chars, key=lambda c: (chars[c], ord(c))):
        if ch in seen or len(chosen) >= count:
            continue
        row = next(r for r in rows if ch in "".join(r[1]) and r not in chosen)
        chosen.append(row)
        seen.update("".join(row[1]))
    for r in rows:
        if len(chosen) >= count:
            break
        if r not in chosen:
            chosen.append(r)
    return sorted(chosen, key=lambda r: rows.index(r))


HAND = [
    "I love it 😀!",
    "😀😀 family 👨\u200d👩\u200d👧 flag 🇬🇧",
    "It cost £5, or €10.",
    "© 2020 Acme™ Corp.",
    "It was 20°C ± 2° today.",
    "3 × 4 = 12 and x² + ½",
    "a\nb",
    "a\r\nb",
    "a\tb",
    "zero\u200bwidth space",
    "zero\u200dwidth joiner",
    "soft\u00adhyphen",
    "\ufeffbyte order mark",
    "nul\u0000char",
    "replacement\ufffdchar",
    "vertical\u000btab and form\u000cfeed",
    "line\u2028separator and\u00a0no-break\u3000ideographic space",
    "Café naïve résumé Ångström façade",
    "cafe\u0301 (decomposed)",
    "İstanbul ΟΔΟΣ Straße",
    "中文字符 and 日本語 and 한국어",
    "東京 is in 日本.",
    "a" * 101 + " short",
    "a" * 100 + " short",
    "[CLS] inside [SEP] text [MASK] and [UNK] and [PAD]",
    "glued[SEP]special and [cls] lower",
    "“Smart quotes” – en dash — em dash … ellipsis",
    "¿Qué? ¡Sí! «guillemets»",
    "",
    "   ",
    "C++ & C# @ 3:45 p.m. #1 50% $9.99",
]

CASED = [
    "Hello World",
    "Café naïve",
    "It cost £5 in İstanbul.",
    "the [SEP] is SPECIAL",
    "ÅNGSTRÖM x² ½",
    "café naïve résumé",
    "über straße İi ΣΑΣ",
]

PAIR_COUNT = 6


def main():
    data = sys.argv[1] if len(sys.argv) > 1 else os.path.join("..", "shared", "data")
    here = os.path.dirname(os.path.abspath(__file__))
    vocab = load_vocab(os.path.join(data, "vocab", "bert-base-uncased", "vocab.txt"))

    rte = glue_rows(data, "RTE", "train", ["sentence1", "sentence2"]) + glue_rows(data, "RTE", "dev", ["sentence1", "sentence2"])
    sst = glue_rows(data, "SST-2", "train", ["sentence"]) + glue_rows(data, "SST-2", "dev", ["sentence"])
    rte_rows = pick(rte, 24)
    sst_rows = pick(sst, 20)

    singles = []
    for source, texts in rte_rows + sst_rows:
        for i, t in enumerate(texts):
            if any(ord(ch) > 127 for ch in t):
                singles.append({"source": f"{source} col {i + 1}", "text": t})
    for t in HAND:
        singles.append({"source": "hand", "text": t})
    for s in singles:
        s["tokens"], _ = encode(vocab, s["text"])

    pairs = []
    for source, (a, b) in [r for r in rte_rows if len(encode(vocab, *r[1])[0]) <= 512][:PAIR_COUNT]:
        tokens, types = encode(vocab, a, b)
        pairs.append({"source": source, "first": a, "second": b, "tokens": tokens, "token_type_ids": types})

    cased = []
    for t in CASED:
        tokens, _ = encode(vocab, t, lower=False)
        cased.append({"text": t, "tokens": tokens})

    # The small vocabulary: the special tokens and every piece used above, in bert-base-uncased's order. Greedy
    # longest-match on a subset that holds every piece the full vocabulary chose picks the same pieces, so the test
    # can run on it without ../shared (with its own ids) and on the full vocabulary where that is present.
    used = set(SPECIALS)
    for item in singles + pairs + cased:
        used.update(item["tokens"])
    small = [t for t, _ in sorted(vocab.items(), key=lambda kv: kv[1]) if t in used]
    small_ids = {t: i for i, t in enumerate(small)}
    for item in singles + pairs + cased:
        item["ids"] = [vocab[t] for t in item["tokens"]]
        item["small_ids"] = [small_ids[t] for t in item["tokens"]]

    with open(os.path.join(here, "hf_fixture_vocab.txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write("".join(t + "\n" for t in small))
    fixture = {
        "about": "Expected ids of HF's slow BertTokenizer (bert-base-uncased vocab.txt; do_lower_case true unless in 'cased') "
                 "from make_hf_fixture.py, an independent standard-library implementation. 'ids' index the full vocab, "
                 "'small_ids' index hf_fixture_vocab.txt. Python's unicodedata is Unicode " + unicodedata.unidata_version + ".",
        "single": singles,
        "pairs": pairs,
        "cased": cased,
    }
    with open(os.path.join(here, "hf_tokenizer_fixture.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(fixture, f, ensure_ascii=True, indent=1)
        f.write("\n")
    print(f"{len(singles)} single, {len(pairs)} pairs, {len(cased)} cased; small vocab {len(small)} entries")


if __name__ == "__main__":
    main()
