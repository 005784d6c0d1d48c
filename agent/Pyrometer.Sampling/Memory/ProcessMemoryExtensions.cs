using System.Buffers.Binary;

namespace Pyrometer.Sampling.Memory;

/// <summary>Single-range conveniences over <see cref="IProcessMemory"/>.</summary>
internal static class ProcessMemoryExtensions
{
    public static ReadStatus ReadExact(this IProcessMemory memory, ulong address, Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return ReadStatus.Ok;
        }
        ReadOnlySpan<RemoteSpan> span = [new RemoteSpan(address, buffer.Length)];
        var status = memory.Read(span, buffer, out var read);
        return status == ReadStatus.Ok && read != buffer.Length ? ReadStatus.Fault : status;
    }

    public static bool TryRead(this IProcessMemory memory, ulong address, Span<byte> buffer) =>
        memory.ReadExact(address, buffer) == ReadStatus.Ok;

    public static bool TryReadUInt64(this IProcessMemory memory, ulong address, out ulong value)
    {
        Span<byte> buffer = stackalloc byte[8];
        var ok = memory.TryRead(address, buffer);
        value = ok ? BinaryPrimitives.ReadUInt64LittleEndian(buffer) : 0;
        return ok;
    }

    public static bool TryReadInt64(this IProcessMemory memory, ulong address, out long value)
    {
        var ok = memory.TryReadUInt64(address, out var raw);
        value = unchecked((long)raw);
        return ok;
    }

    public static bool TryReadInt32(this IProcessMemory memory, ulong address, out int value)
    {
        Span<byte> buffer = stackalloc byte[4];
        var ok = memory.TryRead(address, buffer);
        value = ok ? BinaryPrimitives.ReadInt32LittleEndian(buffer) : 0;
        return ok;
    }
}
