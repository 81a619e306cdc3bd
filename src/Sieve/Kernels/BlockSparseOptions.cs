// Options of the BlockSparse kernel: the tile side b of the block layout it computes on and the scores per chunk
// (both in BlockKernelOptions, shared with Banded).
namespace Sieve.Kernels;

/// <summary>Immutable options of <see cref="BlockSparseKernel"/>.</summary>
/// <remarks>
/// <see cref="BlockKernelOptions.BlockSize"/>: on local(64)+global(2), N = 4096, 12 heads, D = 64 (2 cores), b = 32
/// measured 1.3-1.6× faster than b = 64 forward and forward+backward (bench/Sieve.Bench `kernels`).
/// <see cref="BlockKernelOptions.ChunkEntries"/>: a tile group runs in chunks of query blocks; a chunk holds its scores
/// and the gathered key and value tiles, D/b times the scores each. On the same shape 2¹⁸ was the fastest of 2¹⁷…2²¹
/// (forward 70.6 ms against 73.3 ms at 2²¹) and cut the forward's peak extra memory from 41.9 to 23.6 MiB. Re-measured
/// after the in-place softmax (2026-11-23, docs/BENCHMARKS.md): 2¹⁷ lowers the first forward's peak from about 24 to
/// 19-20 MiB, but its forward ran 6.4× Sdpa's speed against 7.6× at 2¹⁸, so 2¹⁸ stays the default.
/// </remarks>
public sealed record BlockSparseOptions : BlockKernelOptions;
