using Pyrometer.Agent.Commands;
using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Sampling;

namespace Pyrometer.Agent.Tests.Commands;

/// <summary>dump reads a busy process again, then names what it still could not read (issue #13).</summary>
public sealed class DumpRetryTests
{
    private static readonly ThreadStack Steady = new(0x10, 10, false, [new PythonFrame("<module>", "<module>", "/app/main.py", 1)]);

    [Fact]
    public void ReadWhole_ThreadTornEveryTime_IsNamedInErrorsAfterFiveReads()
    {
        var process = new TornProcess(tornTimes: int.MaxValue);
        var errors = new List<string>();

        var stacks = DumpCommand.ReadWhole(process, errors);

        Assert.Equal(DumpCommand.Attempts, process.Reads);
        Assert.Equal([Steady], stacks!);
        var error = Assert.Single(errors);
        Assert.Contains("thread 77 (0xabc) is unreadable", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadWhole_ThreadTornOnce_IsListedFromTheSecondRead()
    {
        var process = new TornProcess(tornTimes: 1);
        var errors = new List<string>();

        var stacks = DumpCommand.ReadWhole(process, errors);

        Assert.Equal(2, process.Reads);
        Assert.Empty(errors);
        Assert.Equal([10, 77], stacks!.Select(s => s.NativeThreadId));
    }

    // Thread 10 always reads whole; thread 77 is torn (dropped with its ids) the first `tornTimes` reads.
    private sealed class TornProcess(int tornTimes) : IProcessSampler
    {
        private readonly ThreadStack _busy = new(0xabc, 77, true, [new PythonFrame("<module>", "<module>", "/app/main.py", 2)]);

        public int Reads { get; private set; }
        public int ProcessId => 4242;
        public ulong StartTime => 1;
        public string CommandLine => "python main.py";
        public PythonVersion Version => new(3, 12, 1, PythonVersion.Final, 0, false);
        public long DroppedThreads { get; private set; }
        public long LastSampleCalls => 1;
        public int LastDroppedCount { get; private set; }
        public IReadOnlyList<DroppedThread> LastDroppedThreads { get; private set; } = [];

        public bool? WasRunning(int threadId) => null;

        public SampleStatus Sample(List<ThreadStack> into)
        {
            into.Add(Steady);
            if (Reads++ < tornTimes)
            {
                LastDroppedCount = 1;
                LastDroppedThreads = [new DroppedThread(0xabc, 77)];
                DroppedThreads++;
            }
            else
            {
                LastDroppedCount = 0;
                LastDroppedThreads = [];
                into.Add(_busy);
            }
            return SampleStatus.Ok;
        }

        public void Dispose()
        {
        }
    }
}
