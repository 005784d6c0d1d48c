using Pyrometer.Sampling.Memory;

namespace Pyrometer.Sampling.Tests.Target;

/// <summary>
/// An address space made of a few byte blocks; reads outside them fail with <see cref="Failure"/>
/// (Fault by default), like process_vm_readv, leaving the prefix that was readable.
/// </summary>
internal sealed class ScriptedMemory(int processId) : IProcessMemory
{
    private readonly List<(ulong Address, byte[] Bytes)> _blocks = [];

    public int ProcessId { get; } = processId;

    public long CallCount { get; private set; }

    /// <summary>What an unreadable span reports: Fault, PermissionDenied or ProcessGone.</summary>
    public ReadStatus Failure { get; set; } = ReadStatus.Fault;

    public ScriptedMemory With(ulong address, byte[] bytes)
    {
        _blocks.Add((address, bytes));
        return this;
    }

    public ReadStatus Read(ReadOnlySpan<RemoteSpan> spans, Span<byte> destination, out int bytesRead)
    {
        CallCount++;
        bytesRead = 0;
        foreach (var span in spans)
        {
            var block = _blocks.FirstOrDefault(b => span.Address >= b.Address && span.Address < b.Address + (ulong)b.Bytes.Length);
            if (block.Bytes is null)
            {
                return Failure;
            }
            var offset = (int)(span.Address - block.Address);
            var available = Math.Min(span.Length, block.Bytes.Length - offset);
            block.Bytes.AsSpan(offset, available).CopyTo(destination[bytesRead..]);
            bytesRead += available;
            if (available < span.Length)
            {
                return ReadStatus.Fault;
            }
        }
        return ReadStatus.Ok;
    }
}
