using Pyrometer.Agent.Session;
using Pyrometer.Rendering.Model;
using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Sampling;

namespace Pyrometer.Agent.Tests.Session;

public sealed class ProfileSinkTests
{
    private static readonly PythonFrame Main = new("<module>", "<module>", "app.py", 1);
    private static readonly PythonFrame Work = new("work", "work", "app.py", 5);

    [Fact]
    public void Add_SameStackInstanceFromTwoProcesses_CountsEachUnderItsOwnProcess()
    {
        var builder = new ProfileBuilder();
        var sink = new ProfileSink(builder, processFrames: true, threadFrames: false);
        var shared = new ThreadStack(1, 11, true, [Work, Main]);
        var first = new Process(10);
        var second = new Process(20);

        for (var i = 0; i < 3; i++)
        {
            sink.Add(first, shared);
        }
        sink.Add(second, shared);

        var stacks = Folded(builder);
        Assert.Equal(3, stacks["pid 10;<module>;work"]);
        Assert.Equal(1, stacks["pid 20;<module>;work"]);
        Assert.Equal(3, sink.SamplesByProcess[10]);
        Assert.Equal(1, sink.SamplesByProcess[20]);
    }

    [Fact]
    public void Add_ReusedAndFreshInstances_GiveTheSameProfile()
    {
        var reused = new ProfileBuilder();
        var fresh = new ProfileBuilder();
        var reusedSink = new ProfileSink(reused, processFrames: false, threadFrames: true);
        var freshSink = new ProfileSink(fresh, processFrames: false, threadFrames: true);
        var process = new Process(10);
        var stacks = new[] { new ThreadStack(1, 11, true, [Work, Main]), new ThreadStack(2, 12, false, [Main]) };

        // More distinct instances than the sink remembers, so its cache is also cleared on the way.
        for (var i = 0; i < 20_000; i++)
        {
            var stack = stacks[i % 2];
            reusedSink.Add(process, i % 3 == 0 ? stack with { } : stack);
            freshSink.Add(process, stack with { });
        }

        Assert.Equal(Folded(fresh), Folded(reused));
        Assert.Equal(20_000, reused.TotalSamples);
        Assert.Equal(10_000, Folded(reused)["thread 11;<module>;work"]);
    }

    [Fact]
    public void Add_ThreadFrames_CarryTheThreadNameAndFollowARename()
    {
        var builder = new ProfileBuilder();
        var sink = new ProfileSink(builder, processFrames: false, threadFrames: true);
        var process = new Process(10);
        var stack = new ThreadStack(1, 11, true, [Work, Main]);

        process.Names[1] = "worker-1";
        sink.Add(process, stack);
        sink.Add(process, stack);
        process.Names[1] = "renamed";
        sink.Add(process, stack);

        var texts = builder.Build(ProfileMetadata.None);
        var threads = Enumerable.Range(0, texts.StackCount).ToDictionary(i => texts.GetFrame(texts.GetStack(i)[0]).Text, texts.GetCount);
        Assert.Equal(2, threads["thread 11 worker-1"]);
        Assert.Equal(1, threads["thread 11 renamed"]);
    }

    private static Dictionary<string, long> Folded(ProfileBuilder builder)
    {
        var profile = builder.Build(ProfileMetadata.None);
        var folded = new Dictionary<string, long>();
        for (var i = 0; i < profile.StackCount; i++)
        {
            var names = new List<string>();
            foreach (var id in profile.GetStack(i))
            {
                var frame = profile.GetFrame(id);
                names.Add(frame.Kind switch
                {
                    FrameKind.Process => $"pid {frame.Number}",
                    FrameKind.Thread => $"thread {frame.Number}",
                    _ => frame.Name,
                });
            }
            folded[string.Join(';', names)] = profile.GetCount(i);
        }
        return folded;
    }

    private sealed class Process(int pid) : IProcessSampler
    {
        public int ProcessId { get; } = pid;
        public ulong StartTime => 1;
        public string CommandLine => $"python app-{ProcessId}.py";
        public PythonVersion Version { get; } = new(3, 12, 1, PythonVersion.Final, 0);
        public long DroppedThreads => 0;
        public long LastSampleCalls => 1;
        public Dictionary<ulong, string> Names { get; } = [];
        public bool? WasRunning(int threadId) => null;
        public string? ThreadName(ThreadStack stack) => Names.GetValueOrDefault(stack.ThreadId);
        public SampleStatus Sample(List<ThreadStack> into) => SampleStatus.Ok;
        public void Dispose()
        {
        }
    }
}
