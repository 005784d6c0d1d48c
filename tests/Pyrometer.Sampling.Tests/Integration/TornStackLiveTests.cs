using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Sampling;
using Pyrometer.Sampling.Tests.Live;
using Xunit.Abstractions;

namespace Pyrometer.Sampling.Tests.Integration;

/// <summary>A frame chain that changes while it is read is dropped, never emitted cut short (issue #13).</summary>
[Trait("Category", "Integration")]
public sealed class TornStackLiveTests(ITestOutputHelper output)
{
    [PythonTheory]
    public async Task Sampler_RecursionWavesAt1kHz_EveryEmittedStackIsRootedAtModule(TestPython python)
    {
        using var process = await PythonProcess.StartAsync(python, "recursion_waves");
        var mainId = process.Ready.GetProperty("main_native_id").GetInt64();
        using var watcher = new ProcessWatcher(process.Pid, subprocesses: false, PythonProcessProbe.Create(), new ProcProcessTable(Pyrometer.Sampling.Target.ProcFs.Default));
        watcher.Scan();
        var sink = new RootSink(mainId);
        using var states = new ProcThreadStates();

        var stats = new Sampler(watcher, states, sink, new SamplerSettings(1000, TimeSpan.FromSeconds(3), SamplingMode.Wall)).Run(CancellationToken.None);
        output.WriteLine($"Python {python.Version}: {sink.Stacks} main-thread stacks kept, {stats.ErrorSamples} thread stacks dropped (torn or invalid)");

        // Non-blocking: the chain moves under the reader all the time; what is emitted must still be whole.
        Assert.True(sink.Stacks >= 100, $"only {sink.Stacks} stacks of the main thread were emitted on Python {python.Version}");
        Assert.True(sink.Unrooted == 0,
            $"{sink.Unrooted} of {sink.Stacks} main-thread stacks do not end at <module> on Python {python.Version}; first: {sink.FirstUnrooted}");
    }

    private sealed class RootSink(long threadId) : IStackSink
    {
        public int Stacks { get; private set; }

        public int Unrooted { get; private set; }

        public string? FirstUnrooted { get; private set; }

        public void Add(IProcessSampler process, ThreadStack stack)
        {
            if (stack.NativeThreadId != threadId)
            {
                return;
            }
            Stacks++;
            if (stack.Frames.Count == 0 || stack.Frames[^1].Name != "<module>")
            {
                Unrooted++;
                FirstUnrooted ??= string.Join(" < ", stack.Frames.TakeLast(4).Select(f => f.Name));
            }
        }

        public void TickCompleted(long timestamp)
        {
        }
    }
}
