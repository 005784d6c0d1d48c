using System.Buffers.Binary;
using System.Numerics;

namespace Pyrometer.Agent.Session;

/// <summary>
/// SHA-256 (FIPS 180-4) in managed code. System.Security.Cryptography hashes through OpenSSL on
/// Linux, and loading libssl and libcrypto just to checksum the artifacts put about 4 MB of RSS on
/// top of the agent's peak (issue #7); artifacts are small, so plain code is fast enough.
/// </summary>
internal sealed class Sha256
{
    public const int HashBytes = 32;
    private const int BlockBytes = 64;

    // The first 32 bits of the fractional parts of the cube roots of the first 64 primes (FIPS 180-4, 4.2.2).
    private static readonly uint[] RoundConstants =
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    // The first 32 bits of the fractional parts of the square roots of the first 8 primes (5.3.3).
    private readonly uint[] _state = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    private readonly uint[] _schedule = new uint[64];
    private readonly byte[] _pending = new byte[BlockBytes];
    private int _pendingCount;
    private ulong _totalBytes;
    private bool _finished;

    /// <summary>The hash of a whole stream, read from its current position to the end.</summary>
    public static byte[] Hash(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var hash = new Sha256();
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            hash.Append(buffer.AsSpan(0, read));
        }
        return hash.Finish();
    }

    /// <summary>The hash of <paramref name="data"/>.</summary>
    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        var hash = new Sha256();
        hash.Append(data);
        return hash.Finish();
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        if (_finished)
        {
            throw new InvalidOperationException("The hash is already finished.");
        }
        _totalBytes += (ulong)data.Length;
        if (_pendingCount > 0)
        {
            var take = Math.Min(BlockBytes - _pendingCount, data.Length);
            data[..take].CopyTo(_pending.AsSpan(_pendingCount));
            _pendingCount += take;
            data = data[take..];
            if (_pendingCount < BlockBytes)
            {
                return;
            }
            Compress(_pending);
            _pendingCount = 0;
        }
        while (data.Length >= BlockBytes)
        {
            Compress(data[..BlockBytes]);
            data = data[BlockBytes..];
        }
        data.CopyTo(_pending);
        _pendingCount = data.Length;
    }

    /// <summary>Pads the message (5.1.1) and returns the 32-byte digest.</summary>
    public byte[] Finish()
    {
        if (_finished)
        {
            throw new InvalidOperationException("The hash is already finished.");
        }
        var bits = _totalBytes * 8;
        Span<byte> tail = stackalloc byte[2 * BlockBytes];
        tail.Clear();
        _pending.AsSpan(0, _pendingCount).CopyTo(tail);
        tail[_pendingCount] = 0x80;
        // One block when the length field still fits after the 0x80 byte, else two.
        var length = _pendingCount + 1 + 8 <= BlockBytes ? BlockBytes : 2 * BlockBytes;
        BinaryPrimitives.WriteUInt64BigEndian(tail.Slice(length - 8, 8), bits);
        for (var offset = 0; offset < length; offset += BlockBytes)
        {
            Compress(tail.Slice(offset, BlockBytes));
        }
        _finished = true;
        var digest = new byte[HashBytes];
        for (var i = 0; i < 8; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(digest.AsSpan(4 * i, 4), _state[i]);
        }
        return digest;
    }

    // One 512-bit block (6.2.2).
    private void Compress(ReadOnlySpan<byte> block)
    {
        var w = _schedule;
        for (var t = 0; t < 16; t++)
        {
            w[t] = BinaryPrimitives.ReadUInt32BigEndian(block.Slice(4 * t, 4));
        }
        for (var t = 16; t < 64; t++)
        {
            var s0 = BitOperations.RotateRight(w[t - 15], 7) ^ BitOperations.RotateRight(w[t - 15], 18) ^ (w[t - 15] >> 3);
            var s1 = BitOperations.RotateRight(w[t - 2], 17) ^ BitOperations.RotateRight(w[t - 2], 19) ^ (w[t - 2] >> 10);
            w[t] = unchecked(w[t - 16] + s0 + w[t - 7] + s1);
        }
        uint a = _state[0], b = _state[1], c = _state[2], d = _state[3], e = _state[4], f = _state[5], g = _state[6], h = _state[7];
        for (var t = 0; t < 64; t++)
        {
            var sum1 = BitOperations.RotateRight(e, 6) ^ BitOperations.RotateRight(e, 11) ^ BitOperations.RotateRight(e, 25);
            var choose = (e & f) ^ (~e & g);
            var t1 = unchecked(h + sum1 + choose + RoundConstants[t] + w[t]);
            var sum0 = BitOperations.RotateRight(a, 2) ^ BitOperations.RotateRight(a, 13) ^ BitOperations.RotateRight(a, 22);
            var majority = (a & b) ^ (a & c) ^ (b & c);
            var t2 = unchecked(sum0 + majority);
            h = g;
            g = f;
            f = e;
            e = unchecked(d + t1);
            d = c;
            c = b;
            b = a;
            a = unchecked(t1 + t2);
        }
        _state[0] = unchecked(_state[0] + a);
        _state[1] = unchecked(_state[1] + b);
        _state[2] = unchecked(_state[2] + c);
        _state[3] = unchecked(_state[3] + d);
        _state[4] = unchecked(_state[4] + e);
        _state[5] = unchecked(_state[5] + f);
        _state[6] = unchecked(_state[6] + g);
        _state[7] = unchecked(_state[7] + h);
    }
}
