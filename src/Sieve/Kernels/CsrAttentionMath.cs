// The arithmetic of the Csr kernel on flat [B, H, N, D] arrays: per query row, scores over its CSR keys, a stable
// softmax and the weighted sum of values (forward); the FlashAttention-2 style backward from the saved log-sum-exp.
using System.Numerics;
using System.Numerics.Tensors;

namespace Sieve.Kernels;

/// <summary>The sizes of a [B, H, N, D] attention call.</summary>
internal readonly record struct Shape(int Batch, int Heads, int Length, int Dim)
{
    public Shape(TorchSharp.torch.Tensor q)
        : this((int)q.shape[0], (int)q.shape[1], (int)q.shape[2], (int)q.shape[3])
    {
    }

    public int Elements => Batch * Heads * Length * Dim;
}

/// <summary>Forward and backward of CSR attention in <typeparamref name="T"/> (float or double), SIMD through TensorPrimitives.</summary>
internal static class CsrAttentionMath<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int RowsPerChunk = 64;

    /// <summary>Fills <paramref name="o"/> and returns the log-sum-exp of every row ([B·H·N]; −∞ for an empty row).</summary>
    public static T[] Forward(T[] q, T[] k, T[] v, T[] o, AttentionLayout layout, Shape s)
    {
        var lse = new T[s.Batch * s.Heads * s.Length];
        T scale = T.One / T.Sqrt(T.CreateChecked(s.Dim));
        int chunks = Math.Max(1, (s.Length + RowsPerChunk - 1) / RowsPerChunk);
        // Rows are independent in the forward pass, so (batch, head, row chunk) items run in parallel without locks.
        Parallel.For(0, s.Batch * s.Heads * chunks, () => new T[s.Length], (item, _, scores) =>
        {
            int bh = item / chunks, chunk = item % chunks;
            var csr = layout[bh / s.Heads, bh % s.Heads];
            int rowEnd = Math.Min((chunk + 1) * RowsPerChunk, s.Length);
            for (int i = chunk * RowsPerChunk; i < rowEnd; i++)
            {
                var keys = csr.Row(i);
                int row = (bh * s.Length) + i;
                if (keys.Length == 0) { lse[row] = T.NegativeInfinity; continue; }   // the output row stays zero
                var qi = q.AsSpan(row * s.Dim, s.Dim);                             // [D]
                var p = scores.AsSpan(0, keys.Length);                             // [nnz(i)]
                for (int t = 0; t < keys.Length; t++)
                    p[t] = TensorPrimitives.Dot<T>(qi, k.AsSpan(((bh * s.Length) + keys[t]) * s.Dim, s.Dim)) * scale;
                T max = TensorPrimitives.Max<T>(p);
                TensorPrimitives.Subtract(p, max, p);
                TensorPrimitives.Exp<T>(p, p);
                T sum = TensorPrimitives.Sum<T>(p);
                var oi = o.AsSpan(row * s.Dim, s.Dim);                             // [D]
                for (int t = 0; t < keys.Length; t++)
                    TensorPrimitives.MultiplyAdd(v.AsSpan(((bh * s.Length) + keys[t]) * s.Dim, s.Dim), p[t] / sum, oi, oi);
                lse[row] = max + T.Log(sum);
            }
            return scores;
        }, _ => { });
        return lse;
    }

    /// <summary>
    /// Gradients of the forward from the upstream gradient <paramref name="dout"/>. With P the probabilities:
    /// dV = Pᵀ dO, dP = dO Vᵀ, dS = P ∘ (dP − rowsum(dO ∘ O)), dQ = dS K/√D, dK = dSᵀ Q/√D, restricted to the layout.
    /// </summary>
    public static void Backward(T[] q, T[] k, T[] v, T[] dout, T[] lse, T[] dq, T[] dk, T[] dv, AttentionLayout layout, Shape s)
    {
        T scale = T.One / T.Sqrt(T.CreateChecked(s.Dim));
        // dK and dV rows receive from many query rows, so the parallel item is one (batch, head): its writes never overlap.
        Parallel.For(0, s.Batch * s.Heads, () => (new T[s.Length], new T[s.Length]), (bh, _, scratch) =>
        {
            var (probs, dprobs) = scratch;
            var csr = layout[bh / s.Heads, bh % s.Heads];
            int head = bh * s.Length;
            for (int i = 0; i < s.Length; i++)
            {
                var keys = csr.Row(i);
                if (keys.Length == 0) continue;
                int row = head + i;
                var qi = q.AsSpan(row * s.Dim, s.Dim);                             // [D]
                var doi = dout.AsSpan(row * s.Dim, s.Dim);                         // [D]
                var p = probs.AsSpan(0, keys.Length);                              // [nnz(i)]
                var dp = dprobs.AsSpan(0, keys.Length);                            // [nnz(i)]
                // rowsum(dO ∘ O) = Σ_j p_ij (dO_i · v_j): computed from P here, so the output need not be saved.
                T delta = T.Zero;
                for (int t = 0; t < keys.Length; t++)
                {
                    int key = (head + keys[t]) * s.Dim;
                    p[t] = T.Exp((TensorPrimitives.Dot<T>(qi, k.AsSpan(key, s.Dim)) * scale) - lse[row]);
                    dp[t] = TensorPrimitives.Dot<T>(doi, v.AsSpan(key, s.Dim));
                    delta += p[t] * dp[t];
                }
                var dqi = dq.AsSpan(row * s.Dim, s.Dim);                           // [D]
                for (int t = 0; t < keys.Length; t++)
                {
                    int key = (head + keys[t]) * s.Dim;
                    T ds = p[t] * (dp[t] - delta) * scale;
                    TensorPrimitives.MultiplyAdd(k.AsSpan(key, s.Dim), ds, dqi, dqi);
                    var dkj = dk.AsSpan(key, s.Dim);                               // [D]
                    TensorPrimitives.MultiplyAdd(qi, ds, dkj, dkj);
                    var dvj = dv.AsSpan(key, s.Dim);                               // [D]
                    TensorPrimitives.MultiplyAdd(doi, p[t], dvj, dvj);
                }
            }
            return scratch;
        }, _ => { });
    }
}
