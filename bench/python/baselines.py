#!/usr/bin/python3
"""CPU baselines in plain PyTorch for Sieve's sparse-attention kernels (an optional cross-check, see README.md).

Three implementations, each on q, k, v of shape [B=1, H, N, D] float32, returning [B, H, N, D]:

  longformer  Hugging Face LongformerSelfAttention's CPU path (sliding chunks + global tokens), pattern
              local(64)+global(2) = longformer(128,1,2).
  bigbird     Hugging Face BigBird's bigbird_block_sparse_attention (ITC), pattern bigbird_blocks(64,3).
  dense       softmax(Q K^T / sqrt(D)) V with two matmuls (torch 1.13 has no scaled_dot_product_attention).

Each sparse implementation is checked against a dense masked reference built from the same mask (--check-only).
Run with Debian's torch: /usr/bin/python3 bench/python/baselines.py --check-only
"""
import argparse
import glob
import json
import math
import os
import re
import statistics
import sys
import time

import torch
import torch.nn.functional as F

LONGFORMER_PATTERN = "local(64)+global(2)"  # = longformer(128,1,2): 64 keys each side, first 2 tokens global
BIGBIRD_PATTERN = "bigbird_blocks(64,3)"


# ----------------------------------------------------------------------------------------------------------------
# Dense attention and the masked reference.

def dense_attention(q, k, v):
    scores = torch.matmul(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(q.shape[-1]))
    return torch.matmul(torch.softmax(scores, dim=-1), v)


def masked_dense_attention(q, k, v, mask):
    """mask: bool, broadcastable to [B, H, N, N], True where query i may attend to key j."""
    scores = torch.matmul(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(q.shape[-1]))
    scores = scores.masked_fill(~mask, float("-inf"))  # every row keeps its diagonal, so no row is all -inf
    return torch.matmul(torch.softmax(scores, dim=-1), v)


def longformer_mask(n, w, g):
    """|i - j| <= w, plus the first g tokens global (their rows and their columns)."""
    i = torch.arange(n)
    mask = (i[:, None] - i[None, :]).abs() <= w
    mask[:g, :] = True
    mask[:, :g] = True
    return mask  # [N, N]


def bigbird_mask(n, b, rand_blocks):
    """The ITC block mask that bigbird_attention computes, from the same random block indices ([H, nb-2, r])."""
    heads, nb = rand_blocks.shape[0], n // b
    blocks = torch.zeros(heads, nb, nb, dtype=torch.bool)
    blocks[:, 0, :] = blocks[:, -1, :] = True      # first and last query blocks see every key
    blocks[:, :, 0] = blocks[:, :, -1] = True      # every query block sees the first and last key blocks
    for q in range(1, nb - 1):
        blocks[:, q, q - 1:q + 2] = True           # sliding window of 3 blocks
        blocks[torch.arange(heads)[:, None], q, rand_blocks[:, q - 1]] = True
    return blocks.repeat_interleave(b, dim=1).repeat_interleave(b, dim=2)  # [H, N, N]


# ----------------------------------------------------------------------------------------------------------------
# Longformer sliding chunks (HF's CPU/"sliding_chunks" path). Layout inside is HF's [B, N, H, ...]; scores for the
# window are stored as a band [B, N, H, 2w+1] whose column c holds key j = i + (c - w).

def _overlapping_chunks(x, w):
    """[BH, N, D] -> [BH, N/w - 1, 2w, D]: chunks of 2w rows starting every w rows, as a view (no copy)."""
    x = x.contiguous()
    bh, n, d = x.shape
    return x.as_strided((bh, n // w - 1, 2 * w, d), (x.stride(0), w * d, d, 1))


def _band_from_chunks(query, key, w):
    """Band scores [B, N, H, 2w+1] of query [B, N, H, D] against key [B, N, H, D]; out-of-range entries are -inf."""
    b, n, h, d = query.shape
    assert n % (2 * w) == 0, f"N must be a multiple of 2w = {2 * w} (HF pads to it), got {n}"
    chunks = n // w - 1
    qc = _overlapping_chunks(query.transpose(1, 2).reshape(b * h, n, d), w)
    kc = _overlapping_chunks(key.transpose(1, 2).reshape(b * h, n, d), w)
    s = torch.einsum("bcxd,bcyd->bcxy", qc, kc)  # [BH, C, 2w, 2w]: chunk c, query cw+x, key cw+y

    # Skew each 2w x 2w chunk so diagonals become columns: append one row and reread the buffer with rows of 2w+1.
    # Then skew[r, c] = s[r, r+c] while r+c < 2w (key offset c >= 0), and past that it wraps to
    # s[r+1, r+c-2w] (key offset c-2w-1 < 0).
    skew = F.pad(s, (0, 0, 0, 1)).view(b * h, chunks, 2 * w, 2 * w + 1)

    # Query block m (rows mw .. mw+w-1) takes offsets 0..w from chunk m (its first half) and offsets -w..-1 from
    # chunk m-1 (its second half). The last block has no chunk of its own: its offsets >= 0 come from chunk C-1.
    band = skew.new_empty(b * h, chunks + 1, w, 2 * w + 1)
    band[:, :-1, :, w:] = skew[:, :, :w, :w + 1]
    band[:, -1, :, w:] = skew[:, -1, w:, :w + 1]
    band[:, 1:, :, :w] = skew[:, :, w - 1:2 * w - 1, w + 1:]
    # Block 0 has no chunk before it; its few valid negative offsets (t+d >= 0) wrap from chunk 0's own rows.
    band[:, 0, 1:w, 1:w] = skew[:, 0, :w - 1, w + 2:]
    band = band.view(b, h, n, 2 * w + 1).transpose(1, 2)  # [B, N, H, 2w+1]

    # Keys before 0 or past N-1 (and the entries new_empty left unset, all among them) get -inf.
    edge = torch.ones(w, 2 * w + 1, dtype=torch.bool).tril().flip(0)  # edge[t, c]: c < w - t, i.e. key t+c-w < 0
    band[:, :w, :, :2 * w + 1].masked_fill_(edge[None, :, None, :], float("-inf"))
    band[:, -w:, :, :].masked_fill_(edge.flip(0, 1)[None, :, None, :], float("-inf"))
    return band


def _band_times_values(probs, value, w):
    """probs [B, N, H, 2w+1] (band layout) times value [B, N, H, D] -> [B, N, H, D]."""
    b, n, h, d = value.shape
    blocks = n // w
    p = probs.transpose(1, 2).reshape(b * h, blocks, w, 2 * w + 1)
    # Query block m needs keys mw-w .. mw+2w-1: pad w rows each side and take 3w rows every w rows (a view).
    vp = F.pad(value.transpose(1, 2).reshape(b * h, n, d), (0, 0, w, w))
    vc = vp.as_strided((b * h, blocks, 3 * w, d), (vp.stride(0), w * d, d, 1))
    # Un-skew the band: row t of a block must sit at columns t .. t+2w of a w x 3w matrix. Pad each row by w+1,
    # drop the last w entries and reread with rows of 3w+1: every row shifts one further right than the one before.
    p = F.pad(p, (0, w + 1)).view(b * h, blocks, -1)[:, :, :-w]
    p = p.view(b * h, blocks, w, 3 * w + 1)[:, :, :, :-1]
    out = torch.einsum("bcxy,bcyd->bcxd", p, vc)
    return out.view(b, h, n, d).transpose(1, 2)


def longformer_attention(q, k, v, w=64, g=2):
    """Sliding-window attention (|i-j| <= w) plus global attention for the first g tokens, as HF computes it."""
    b, h, n, d = q.shape
    query = q.transpose(1, 2) * (1.0 / math.sqrt(d))  # HF scales the query once, up front
    key = k.transpose(1, 2)
    value = v.transpose(1, 2)

    scores = _band_from_chunks(query, key, w)
    # Global keys are scored once, in their own columns below; take them out of the band, as HF does with a second
    # (cheap, D = 1) sliding-chunks product of ones against a per-key mask of 0 / finfo.min.
    key_mask = torch.zeros(b, n, 1, 1, dtype=q.dtype)
    key_mask[:, :g] = torch.finfo(q.dtype).min
    scores = scores + _band_from_chunks(torch.ones_like(key_mask), key_mask, w)

    if g > 0:
        global_scores = torch.einsum("blhd,bshd->blhs", query, key[:, :g])  # [B, N, H, g]
        scores = torch.cat((global_scores, scores), dim=-1)
    probs = torch.softmax(scores, dim=-1)

    out = _band_times_values(probs.narrow(-1, g, 2 * w + 1).contiguous(), value, w)
    if g == 0:
        return out.transpose(1, 2)
    out = out + torch.matmul(probs[..., :g].transpose(1, 2), value[:, :g].transpose(1, 2)).transpose(1, 2)

    # Global query rows attend to every key; HF computes them densely afterwards and overwrites those rows (their
    # band results above are thrown away, as in HF).
    gq = query[:, :g].transpose(1, 2)                                            # [B, H, g, D]
    gp = torch.softmax(torch.matmul(gq, key.permute(0, 2, 3, 1)), dim=-1)        # [B, H, g, N]
    global_out = torch.matmul(gp, value.transpose(1, 2))                         # [B, H, g, D]
    return torch.cat((global_out, out.transpose(1, 2)[:, :, g:]), dim=2)


# ----------------------------------------------------------------------------------------------------------------
# BigBird block-sparse attention (HF's bigbird_block_sparse_attention, "ITC": first and last block global).

def bigbird_random_blocks(n, b, r, heads, generator):
    """[H, nb-2, r] long: for middle query block q (row q-1), r distinct blocks among the middle blocks 1..nb-2
    outside q-1..q+1 (Sieve's bigbird_blocks definition)."""
    nb = n // b
    out = torch.empty(heads, nb - 2, r, dtype=torch.long)
    for q in range(1, nb - 1):
        candidates = torch.tensor([k for k in range(1, nb - 1) if abs(k - q) > 1], dtype=torch.long)
        if len(candidates) < r:
            raise ValueError(f"bigbird: block {q} has only {len(candidates)} candidate random blocks for r = {r}; "
                             f"needs N/b >= {5 + r}")
        for hh in range(heads):
            out[hh, q - 1] = candidates[torch.randperm(len(candidates), generator=generator)[:r]]
    return out


def _gather_blocks(blocked, idx):
    """blocked [B, H, nb, b, D], idx [H, m, r] -> [B, H, m, r*b, D]: the blocks idx names, per head."""
    bsz, h, nb, b, d = blocked.shape
    flat_idx = (idx + torch.arange(h)[:, None, None] * nb).view(-1)
    flat_idx = (flat_idx[None, :] + torch.arange(bsz)[:, None] * (h * nb)).view(-1)
    picked = blocked.reshape(bsz * h * nb, b, d).index_select(0, flat_idx)
    return picked.view(bsz, h, idx.shape[1], idx.shape[2] * b, d)


def bigbird_attention(q, k, v, rand_blocks, b=64):
    """The five parts of HF's algorithm: query block 0 dense; block 1 against keys [0,1,2,last,random]; blocks
    2..nb-3 together against [first | 3 sliding | random | last]; block nb-2 against [0,nb-3,nb-2,last,random];
    block nb-1 dense."""
    bsz, h, n, d = q.shape
    nb = n // b
    assert n % b == 0 and nb >= 5, f"bigbird needs N a multiple of {b} and at least 5 blocks, got N = {n}"
    scale = 1.0 / math.sqrt(d)
    bq = q.view(bsz, h, nb, b, d)
    bk = k.view(bsz, h, nb, b, d)
    bv = v.view(bsz, h, nb, b, d)
    gk = _gather_blocks(bk, rand_blocks)  # [B, H, nb-2, r*b, D]
    gv = _gather_blocks(bv, rand_blocks)

    def attend(query, keys, values):
        p = torch.softmax(torch.matmul(query, keys.transpose(-1, -2)) * scale, dim=-1)
        return torch.matmul(p, values)

    first = attend(bq[:, :, 0], k, v).unsqueeze(2)
    second = attend(bq[:, :, 1],
                    torch.cat([bk[:, :, 0], bk[:, :, 1], bk[:, :, 2], bk[:, :, -1], gk[:, :, 0]], dim=2),
                    torch.cat([bv[:, :, 0], bv[:, :, 1], bv[:, :, 2], bv[:, :, -1], gv[:, :, 0]], dim=2)).unsqueeze(2)

    # Middle blocks 2..nb-3 all at once: the sliding keys of block q are blocks q-1, q, q+1, built for every q by
    # concatenating three shifted copies of the blocked keys.
    mq = bq[:, :, 2:-2]                                                              # [B, H, nb-4, b, D]
    sk = torch.cat([bk[:, :, 1:-3], bk[:, :, 2:-2], bk[:, :, 3:-1]], dim=3)          # [B, H, nb-4, 3b, D]
    sv = torch.cat([bv[:, :, 1:-3], bv[:, :, 2:-2], bv[:, :, 3:-1]], dim=3)
    band = torch.cat([
        torch.einsum("bhlqd,bhkd->bhlqk", mq, bk[:, :, 0]),
        torch.matmul(mq, sk.transpose(-1, -2)),
        torch.matmul(mq, gk[:, :, 1:-1].transpose(-1, -2)),
        torch.einsum("bhlqd,bhkd->bhlqk", mq, bk[:, :, -1]),
    ], dim=-1) * scale                                                               # [B, H, nb-4, b, (5+r)b]
    p = torch.softmax(band, dim=-1)
    middle = torch.matmul(p[..., b:4 * b], sv)
    middle = middle + torch.matmul(p[..., 4 * b:-b], gv[:, :, 1:-1])
    middle = middle + torch.einsum("bhlqk,bhkd->bhlqd", p[..., :b], bv[:, :, 0])
    middle = middle + torch.einsum("bhlqk,bhkd->bhlqd", p[..., -b:], bv[:, :, -1])

    second_last = attend(bq[:, :, -2],
                         torch.cat([bk[:, :, 0], bk[:, :, -3], bk[:, :, -2], bk[:, :, -1], gk[:, :, -1]], dim=2),
                         torch.cat([bv[:, :, 0], bv[:, :, -3], bv[:, :, -2], bv[:, :, -1], gv[:, :, -1]], dim=2)
                         ).unsqueeze(2)
    last = attend(bq[:, :, -1], k, v).unsqueeze(2)
    return torch.cat([first, second, middle, second_last, last], dim=2).view(bsz, h, n, d)


# ----------------------------------------------------------------------------------------------------------------
# Implementations as (pattern, forward function, reference mask) for one N.

def make_impls(names, n, heads, seed, w=64, g=2, b=64, r=3):
    impls = {}
    for name in names:
        if name == "dense":
            impls[name] = ("full", dense_attention, torch.ones(n, n, dtype=torch.bool))
        elif name == "longformer":
            impls[name] = (LONGFORMER_PATTERN if (w, g) == (64, 2) else f"local({w})+global({g})",
                           lambda q, k, v: longformer_attention(q, k, v, w, g), longformer_mask(n, w, g))
        elif name == "bigbird":
            rand_blocks = bigbird_random_blocks(n, b, r, heads, torch.Generator().manual_seed(seed))
            impls[name] = (BIGBIRD_PATTERN if (b, r) == (64, 3) else f"bigbird_blocks({b},{r})",
                           lambda q, k, v, rb=rand_blocks: bigbird_attention(q, k, v, rb, b),
                           bigbird_mask(n, b, rand_blocks))
        else:
            raise ValueError(f"unknown impl {name}")
    return impls


def inputs(n, heads, dim, dtype, seed=17):
    gen = torch.Generator().manual_seed(seed)
    return [torch.randn(1, heads, n, dim, generator=gen, dtype=dtype) for _ in range(4)]  # q, k, v, grad of out


def max_error(fn, mask, q, k, v, grad):
    """Max |difference| over the output and dq, dk, dv between fn and the masked dense reference."""
    results = []
    for f in (fn, lambda a, b_, c: masked_dense_attention(a, b_, c, mask)):
        leaves = [t.detach().clone().requires_grad_() for t in (q, k, v)]
        out = f(*leaves)
        out.backward(grad)
        results.append([out.detach()] + [t.grad for t in leaves])
    return max((a - b_).abs().max().item() for a, b_ in zip(*results))


def check(heads, dim, seed):
    """Each sparse implementation against the masked dense reference, float64 and float32, at N = 512 and 1024,
    plus a few other window / block settings on fewer heads."""
    f32, f64 = (torch.float32, 1e-4), (torch.float64, 1e-10)
    # (N, heads, dtypes, non-default parameters); float64 is skipped at N = 1024, H = 12 only to keep this fast.
    cases = [(512, heads, (f64, f32), {}), (1024, heads, (f32,), {}),
             (512, 2, (f64, f32), dict(w=32, g=3, b=32, r=2)), (768, 2, (f64, f32), dict(w=16, g=1, b=48, r=4))]
    ok = True
    for n, h, dtypes, params in cases:
        for dtype, tol in dtypes:
            q, k, v, grad = inputs(n, h, dim, dtype)
            for name, (pattern, fn, mask) in make_impls(["longformer", "bigbird"], n, h, seed, **params).items():
                err = max_error(fn, mask, q, k, v, grad)
                passed = err <= tol
                ok &= passed
                print(f"{'ok  ' if passed else 'FAIL'} {name:10s} {pattern:22s} N={n:5d} H={h:2d} "
                      f"{str(dtype).replace('torch.', ''):8s} max|err| out,dq,dk,dv = {err:.2e} (tol {tol:g})")
    print("all checks passed" if ok else "CHECK FAILED")
    return ok


# ----------------------------------------------------------------------------------------------------------------
# Timing.

def blas_info():
    """Which BLAS the matmuls run on. Debian's torch says "generic" and uses whatever libblas.so.3 the alternatives
    system points at: netlib's reference BLAS (single-threaded, unoptimised) unless OpenBLAS/BLIS is installed."""
    m = re.search(r"BLAS_INFO=(\w+)", torch.__config__.show())
    info = m.group(1) if m else "unknown"
    if info == "generic":
        for link in glob.glob("/etc/alternatives/libblas.so.3-*"):
            info += ":" + os.path.realpath(link)
    return info


def bench(names, n, heads, dim, threads, repeats, warmup, seed):
    q, k, v, grad = inputs(n, heads, dim, torch.float32)
    timed = list(dict.fromkeys(["dense"] + names))  # dense always runs: the ratios are against it
    impls = make_impls(timed, n, heads, seed)
    fwd = {name: [] for name in timed}
    train = {name: [] for name in timed}
    # Round-robin: every repeat runs each implementation once, so machine noise hits them alike.
    for rep in range(warmup + repeats):
        for name in timed:
            fn = impls[name][1]
            with torch.no_grad():
                t0 = time.perf_counter()
                fn(q, k, v)
                t1 = time.perf_counter()
            leaves = [t.detach().requires_grad_() for t in (q, k, v)]
            t2 = time.perf_counter()
            fn(*leaves).backward(grad)
            t3 = time.perf_counter()
            if rep >= warmup:
                fwd[name].append((t1 - t0) * 1e3)
                train[name].append((t3 - t2) * 1e3)
    rows = []
    dense_f, dense_t = statistics.median(fwd["dense"]), statistics.median(train["dense"])
    for name in names:
        pattern, fn, mask = impls[name]
        f_ms, t_ms = statistics.median(fwd[name]), statistics.median(train[name])
        rows.append(dict(
            impl=name, pattern=pattern, n=n, heads=heads, dim=dim, threads=threads,
            forward_ms=round(f_ms, 3), train_ms=round(t_ms, 3),
            forward_x_dense=round(dense_f / f_ms, 3), train_x_dense=round(dense_t / t_ms, 3),
            max_abs_err_vs_masked_dense=(max_error(fn, mask, q, k, v, grad) if n <= 2048 else None),
            torch=torch.__version__, blas=blas_info()))
        if name == "longformer":
            rows[-1]["same_mask_as"] = "longformer(128,1,2)"
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, nargs="+", default=[1024, 4096], help="sequence lengths")
    ap.add_argument("--impl", nargs="+", default=["longformer", "bigbird", "dense"],
                    choices=["longformer", "bigbird", "dense"])
    ap.add_argument("--repeats", type=int, default=5, help="timed repeats (median reported)")
    ap.add_argument("--warmup", type=int, default=2, help="untimed repeats first")
    ap.add_argument("--threads", type=int, default=2, help="torch.set_num_threads")
    ap.add_argument("--heads", type=int, default=12)
    ap.add_argument("--dim", type=int, default=64)
    ap.add_argument("--seed", type=int, default=0, help="seed of BigBird's random blocks")
    ap.add_argument("--check-only", action="store_true", help="correctness against the masked dense reference")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)

    if args.check_only:
        sys.exit(0 if check(args.heads, args.dim, args.seed) else 1)

    if "/blas/" in blas_info():
        print(f"warning: matmuls run on netlib's reference BLAS ({blas_info()}), far slower than MKL/OpenBLAS; "
              "see README.md", file=sys.stderr)
    rows = []
    for n in args.n:
        for row in bench(args.impl, n, args.heads, args.dim, args.threads, args.repeats, args.warmup, args.seed):
            print(json.dumps(row), flush=True)  # JSON lines on stdout
            rows.append(row)
    # The readable table goes to stderr so stdout stays pure JSON lines.
    print(f"\ntorch {torch.__version__}, {args.threads} threads, H = {args.heads}, D = {args.dim}, float32, batch 1, "
          f"median of {args.repeats} after {args.warmup} warm-up; x dense = dense ms / impl ms; BLAS {blas_info()}",
          file=sys.stderr)
    print(f"{'impl':11s} {'pattern':22s} {'N':>6s} {'fwd ms':>9s} {'train ms':>9s} {'fwd x':>7s} {'train x':>7s} "
          f"{'max|err|':>9s}", file=sys.stderr)
    for r in rows:
        err = "-" if r["max_abs_err_vs_masked_dense"] is None else f"{r['max_abs_err_vs_masked_dense']:.1e}"
        print(f"{r['impl']:11s} {r['pattern']:22s} {r['n']:6d} {r['forward_ms']:9.2f} {r['train_ms']:9.2f} "
              f"{r['forward_x_dense']:7.2f} {r['train_x_dense']:7.2f} {err:>9s}", file=sys.stderr)


if __name__ == "__main__":
    main()
