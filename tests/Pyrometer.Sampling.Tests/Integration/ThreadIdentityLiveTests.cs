using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Sampling;
using Pyrometer.Sampling.Tests.Live;
using Xunit.Abstractions;

namespace Pyrometer.Sampling.Tests.Integration;

/// <summary>
/// Every stack is emitted under the thread it belongs to, with that thread's own ids. Busy threads
/// running the same code share frame memory on ≤3.10 (frames come from one free list, so a frame one
/// thread frees is soon another's): a chain read while it changes can lead into another thread's
/// frames, and such a stack is torn and must be dropped. A very short GIL switch interval makes that
/// happen often.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ThreadIdentityLiveTests(ITestOutputHelper output)
{
    private static readonly string[] Arguments = ["--threads", "4", "--switch-interval", "0.00001"];

    [PythonTheory]
    public async Task Sampler_FourRecursingWorkersAt1kHz_EveryStackIsItsOwnThreads(TestPython python)
    {
        using var process = await PythonProcess.StartAsync(python, "recursion_waves", Arguments);
        var sink = await OwnerSink.ForAsync(process);
        using var watcher = new ProcessWatcher(process.Pid, subprocesses: false, PythonProcessProbe.Create(), new ProcProcessTable(Pyrometer.Sampling.Target.ProcFs.Default));
        watcher.Scan();
        using var states = new ProcThreadStates();

        var stats = new Sampler(watcher, states, sink, new SamplerSettings(1000, TimeSpan.FromSeconds(3), SamplingMode.Wall)).Run(CancellationToken.None);
        output.WriteLine($"Python {python.Version}: {sink.Stacks} stacks of 5 busy threads kept, {stats.ErrorSamples} dropped (torn or invalid); {sink.Summary}");

        sink.AssertAllOwn(python);
    }

    [PythonTheory]
    public async Task FirstSample_FourRecursingWorkers300Times_EveryStackIsItsOwnThreads(TestPython python)
    {
        using var process = await PythonProcess.StartAsync(python, "recursion_waves", Arguments);
        var sink = await OwnerSink.ForAsync(process);
        var stacks = new List<ThreadStack>();

        // A new reader each time, as `pyrometer dump` has: nothing cached, every frame read with a call of its own.
        for (var i = 0; i < 300; i++)
        {
            using var watcher = new ProcessWatcher(process.Pid, subprocesses: false, PythonProcessProbe.Create(), new ProcProcessTable(Pyrometer.Sampling.Target.ProcFs.Default));
            watcher.Scan();
            var sampler = Assert.Single(watcher.Current);
            stacks.Clear();
            if (sampler.Sample(stacks) == SampleStatus.Ok)
            {
                foreach (var stack in stacks)
                {
                    sink.Add(sampler, stack);
                }
            }
        }
        output.WriteLine($"Python {python.Version}: {sink.Stacks} stacks of 5 busy threads kept over 300 first samples; {sink.Summary}");

        sink.AssertAllOwn(python);
    }

    // What the target says about its threads (threading's ident is the pthread_t, native_id the TID):
    // the main thread's chain ends at <module>; a worker's runs through waves_forever down to _bootstrap.
    private sealed class OwnerSink(int mainId, Dictionary<int, ulong> idents) : IStackSink
    {
        public int Stacks { get; private set; }

        public int Foreign { get; private set; }

        public int WrongIds { get; private set; }

        public string? FirstForeign { get; private set; }

        public string? FirstWrongIds { get; private set; }

        public string Summary => $"{Foreign} with another thread's frames (first: {FirstForeign}), {WrongIds} with ids the target does not pair (first: {FirstWrongIds})";

        public static async Task<OwnerSink> ForAsync(PythonProcess process)
        {
            var mainId = process.Ready.GetProperty("main_native_id").GetInt32();
            var reply = await process.SendAsync("dump");
            var idents = reply.GetProperty("threads").EnumerateArray()
                .ToDictionary(t => t.GetProperty("native_id").GetInt32(), t => t.GetProperty("ident").GetUInt64());
            Assert.Equal(6, idents.Count);           // main, four workers, self-dump
            return new OwnerSink(mainId, idents);
        }

        public void AssertAllOwn(TestPython python)
        {
            Assert.True(Stacks >= 100, $"only {Stacks} stacks were emitted on Python {python.Version}");
            Assert.True(Foreign == 0 && WrongIds == 0, $"of {Stacks} stacks on Python {python.Version}: {Summary}");
        }

        public void Add(IProcessSampler process, ThreadStack stack)
        {
            Stacks++;
            var label = $"thread {stack.NativeThreadId} (0x{stack.ThreadId:x}): {string.Join(" < ", stack.Frames.TakeLast(4).Select(f => f.Name))}";
            if (!idents.TryGetValue(stack.NativeThreadId, out var ident) || ident != stack.ThreadId)
            {
                WrongIds++;
                FirstWrongIds ??= label;
                return;
            }
            var names = stack.Frames.Select(f => f.Name).ToList();
            if (names.Contains("_serve"))
            {
                return;                              // the self-dump thread, idle in stdin
            }
            var own = names.Count > 0 && (stack.NativeThreadId == mainId
                ? names[^1] == "<module>" && !names.Contains("waves_forever")
                : names[^1] == "_bootstrap" && names.Contains("waves_forever"));
            if (!own)
            {
                Foreign++;
                FirstForeign ??= label;
            }
        }

        public void TickCompleted(long timestamp)
        {
        }
    }
}
