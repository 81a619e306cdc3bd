// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) and the "masked" form TFRecord files store
// (tensorflow/core/lib/hash/crc32c.h: rotate right by 15, add 0xa282ead8).
namespace Sieve.Training;

/// <summary>CRC-32C checksums for TFRecord framing.</summary>
public static class Crc32C
{
    private const uint Polynomial = 0x82F63B78;
    private const uint MaskDelta = 0xA282EAD8;

    private static readonly uint[] _table = BuildTable();

    /// <summary>The CRC-32C of <paramref name="data"/> (check value: "123456789" gives 0xE3069283).</summary>
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data) crc = _table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return ~crc;
    }

    /// <summary>The masked CRC TFRecord stores, so that a CRC of data that embeds CRCs stays well distributed.</summary>
    public static uint Masked(ReadOnlySpan<byte> data)
    {
        var crc = Compute(data);
        return unchecked(((crc >> 15) | (crc << 17)) + MaskDelta);
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (var i = 0u; i < 256; i++)
        {
            var crc = i;
            for (var bit = 0; bit < 8; bit++) crc = (crc & 1) != 0 ? (crc >> 1) ^ Polynomial : crc >> 1;
            table[i] = crc;
        }
        return table;
    }
}
