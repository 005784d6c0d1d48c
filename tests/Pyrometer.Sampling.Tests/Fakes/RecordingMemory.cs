using Pyrometer.Sampling.Memory;

namespace Pyrometer.Sampling.Tests.Fakes;

/// <summary>
/// Passes reads through to a real process and keeps every byte that arrived, so that what a reader
/// saw can be replayed (and mutated) as a <see cref="FakeProcessMemory"/>.
/// </summary>
internal sealed class RecordingMemory(IProcessMemory inner) : IProcessMemory
{
    private readonly Dictionary<ulong, byte> _bytes = [];

    public int ProcessId => inner.ProcessId;

    public long CallCount => inner.CallCount;

    public ReadStatus Read(ReadOnlySpan<RemoteSpan> spans, Span<byte> destination, out int bytesRead)
    {
        var status = inner.Read(spans, destination, out bytesRead);
        var at = 0;
        foreach (var span in spans)
        {
            for (var i = 0; i < span.Length && at < bytesRead; i++, at++)
            {
                _bytes[span.Address + (ulong)i] = destination[at];
            }
        }
        return status;
    }

    /// <summary>The recorded bytes as runs of consecutive addresses.</summary>
    public List<(ulong Start, byte[] Bytes)> Runs()
    {
        var runs = new List<(ulong, byte[])>();
        var run = new List<byte>();
        ulong start = 0, next = 0;
        foreach (var address in _bytes.Keys.Order())
        {
            if (run.Count > 0 && address != next)
            {
                runs.Add((start, run.ToArray()));
                run.Clear();
            }
            if (run.Count == 0)
            {
                start = address;
            }
            run.Add(_bytes[address]);
            next = address + 1;
        }
        if (run.Count > 0)
        {
            runs.Add((start, run.ToArray()));
        }
        return runs;
    }

    /// <summary>A fake memory holding copies of the recorded runs.</summary>
    public FakeProcessMemory Replay()
    {
        var fake = new FakeProcessMemory(ProcessId);
        foreach (var (start, bytes) in Runs())
        {
            fake.Map(start, (byte[])bytes.Clone());
        }
        return fake;
    }
}
