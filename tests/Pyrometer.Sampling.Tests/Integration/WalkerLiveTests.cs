using System.Text.Json;
using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Sampling;
using Pyrometer.Sampling.Tests.Live;

namespace Pyrometer.Sampling.Tests.Integration;

/// <summary>The walker against real CPython processes, on every interpreter installed.</summary>
[Trait("Category", "Integration")]
public sealed class WalkerLiveTests
{
    private static readonly string[] InnermostCandidates = ["hot_a", "hot_b", "cold_c", "timed"];

    private static int Line(JsonElement ready, string name) => ready.GetProperty("lines").GetProperty(name).GetInt32();

    [PythonTheory]
    public async Task Sample_HotFunctions_NamesFilesAndLinesAreExact(TestPython python)
    {
        using var target = await LiveTarget.StartAsync(python, "hot_functions");
        var ready = target.Process.Ready;
        var file = ready.GetProperty("file").GetString();
        var mainId = ready.GetProperty("main_native_id").GetInt64();

        var main = LiveTarget.Thread(await target.SampleWithThreadsAsync(mainId), mainId);

        var names = main.Frames.Select(f => f.Name).ToList();
        Assert.Contains(names[0], InnermostCandidates);
        Assert.Equal(["main_loop", "main", "<module>"], names.TakeLast(3));
        Assert.All(main.Frames, f => Assert.Equal(file, f.File));
        var span = ready.GetProperty("spans").TryGetProperty(names[0], out var s) ? s : default;
        if (span.ValueKind == JsonValueKind.Array)
        {
            Assert.InRange(main.Frames[0].Line, span[0].GetInt32(), span[1].GetInt32());
        }
        Assert.All(main.Frames, f => Assert.True(f.Line > 0, $"{f.Name} has no line"));
    }

    [PythonTheory]
    public async Task Sampler_HotFunctions_SharesWithin5PointsOfSelfMeasured(TestPython python)
    {
        using var process = await PythonProcess.StartAsync(python, "hot_functions");
        var mainId = process.Ready.GetProperty("main_native_id").GetInt64();
        using var watcher = new ProcessWatcher(process.Pid, subprocesses: false, PythonProcessProbe.Create(), new ProcProcessTable(Pyrometer.Sampling.Target.ProcFs.Default));
        watcher.Scan();
        var sink = new InnermostSink(mainId, "hot_a", "hot_b", "cold_c");
        using var states = new ProcThreadStates();

        // CPU mode against the script's own time.thread_time() around each call, over the same window:
        // both count CPU time only, so they agree however busy the machine is (wall-clock time does not:
        // a wait for a CPU inside timed() lands in the script's wall figures but in no hot function).
        // The sampler's own randomised schedule: a fixed period would alias with the script's rounds.
        // On a loaded machine the target runs a fraction of the time: sample until enough were kept, or
        // for 90 s. The 5-point bound holds at 600 samples (2.6 standard errors of a third); with fewer
        // it widens as the standard error does, and under MinSamples the test is inconclusive.
        const int Wanted = 600, MinSamples = 40;
        var before = await process.SendAsync("shares");
        var deadline = Environment.TickCount64 + 90_000;
        while (sink.Counts.Values.Sum() < Wanted && Environment.TickCount64 < deadline)
        {
            new Sampler(watcher, states, sink, new SamplerSettings(400, TimeSpan.FromSeconds(2), SamplingMode.Cpu)).Run(CancellationToken.None);
        }
        var after = await process.SendAsync("shares");

        var spent = sink.Counts.Keys.ToDictionary(n => n, n => CpuSeconds(after, n) - CpuSeconds(before, n));
        var taken = sink.Counts.Values.Sum();
        Assert.True(taken >= MinSamples, $"inconclusive: only {taken} samples landed in the hot functions in 90 s");
        var bound = 5 * Math.Sqrt((double)Wanted / Math.Min(taken, Wanted));
        foreach (var (name, count) in sink.Counts)
        {
            var sampled = 100.0 * count / taken;
            var truth = 100.0 * spent[name] / spent.Values.Sum();
            Assert.True(Math.Abs(sampled - truth) <= bound,
                $"{name}: sampled {sampled:0.0}% vs measured {truth:0.0}% (thread_time, same window; bound {bound:0.0} points at {taken} samples) on Python {python.Version}");
        }
    }

    // "shares" answers each function's fraction of "seconds", the thread_time spent in all three so far.
    private static double CpuSeconds(JsonElement shares, string name) => shares.GetProperty("seconds").GetDouble() * shares.GetProperty(name).GetDouble();

    private sealed class InnermostSink(long threadId, params string[] names) : IStackSink
    {
        public Dictionary<string, int> Counts { get; } = names.ToDictionary(n => n, _ => 0, StringComparer.Ordinal);

        public void Add(IProcessSampler process, ThreadStack stack)
        {
            if (stack.NativeThreadId == threadId && stack.Frames.Select(f => f.Name).FirstOrDefault(Counts.ContainsKey) is { } hot)
            {
                Counts[hot]++;
            }
        }

        public void TickCompleted(long timestamp)
        {
        }
    }

    [PythonTheory]
    public async Task Sample_SleepingThreads_MatchWhatThePythonProcessReportsAboutItself(TestPython python)
    {
        using var target = await LiveTarget.StartAsync(python, "many_threads", "--threads", "6", "--mode", "sleep");
        var oracle = await target.Process.DumpAsync();
        var workers = oracle.Threads.Where(t => t.Name?.StartsWith("worker-", StringComparison.Ordinal) == true).ToList();

        var stacks = await target.SampleWithThreadsAsync([.. workers.Select(t => t.NativeId)]);

        foreach (var expected in workers)
        {
            var actual = LiveTarget.Thread(stacks, expected.NativeId);
            Assert.Equal(expected.Frames.Select(f => f.Function), actual.Frames.Select(f => f.Name));
            Assert.Equal(expected.Frames.Select(f => f.File), actual.Frames.Select(f => f.File));
            Assert.Equal(expected.Frames.Select(f => f.Line), actual.Frames.Select(f => f.Line));
            if (python.MajorMinor.Minor >= 11)
            {
                Assert.Equal(expected.Frames.Select(f => f.Qualname), actual.Frames.Select(f => f.QualifiedName));
            }
        }
        Assert.Equal(6, stacks.Count(s => s.Frames.Count > 0 && s.Frames.Any(f => f.Name.StartsWith("worker_", StringComparison.Ordinal))));
    }

    [PythonTheory]
    public async Task Sample_ManyThreads_EveryThreadWithItsNativeId(TestPython python)
    {
        using var target = await LiveTarget.StartAsync(python, "many_threads", "--threads", "16", "--mode", "mixed");
        var threads = target.Process.Ready.GetProperty("threads").EnumerateArray().ToList();

        var stacks = await target.SampleWithThreadsAsync([.. threads.Select(t => t.GetProperty("native_id").GetInt64())]);

        foreach (var thread in threads)
        {
            var stack = LiveTarget.Thread(stacks, thread.GetProperty("native_id").GetInt64());
            Assert.Contains(stack.Frames, f => f.Name == thread.GetProperty("function").GetString());
        }
    }

    [PythonTheory]
    public async Task Sample_Recursion500Deep_ShowsEveryFrameDownToModule(TestPython python)
    {
        using var target = await LiveTarget.StartAsync(python, "deep_recursion", "--depth", "500");
        var mainId = target.Process.Ready.GetProperty("main_native_id").GetInt64();

        var main = LiveTarget.Thread(await target.SampleWithThreadsAsync(mainId), mainId);

        Assert.Equal(500, main.Frames.Count(f => f.Name == "recurse"));
        Assert.Equal("<module>", main.Frames[^1].Name);
        Assert.Equal("main", main.Frames[^2].Name);
    }

    [PythonTheory]
    public async Task Sample_NonAsciiNames_DecodesFunctionsQualnamesAndFiles(TestPython python)
    {
        using var target = await LiveTarget.StartAsync(python, "unicode_names");
        var expected = target.Process.Ready.GetProperty("threads").EnumerateArray().ToList();

        // Right after READY the main thread may still be printing it: wait until every thread is in place.
        var stacks = await target.SampleUntilAsync(s => expected.All(t =>
            s.Any(x => x.NativeThreadId == t.GetProperty("native_id").GetInt64() && x.Frames.Any(f => f.Name == t.GetProperty("function").GetString()))));

        foreach (var thread in expected)
        {
            var stack = LiveTarget.Thread(stacks, thread.GetProperty("native_id").GetInt64());
            var function = thread.GetProperty("function").GetString();
            var frame = stack.Frames.FirstOrDefault(f => f.Name == function);
            Assert.True(frame is not null, $"{function} not in [{string.Join(", ", stack.Frames.Select(f => f.Name))}]");
            Assert.Equal(thread.GetProperty("file").GetString(), frame.File);
            if (python.MajorMinor.Minor >= 11)
            {
                Assert.Equal(thread.GetProperty("qualname").GetString(), frame.QualifiedName);
            }
        }
    }

    [PythonTheory]
    public async Task Sample_GeneratorsAndAsyncio_ShowGeneratorChainAndCoroutine(TestPython python)
    {
        using var target = await LiveTarget.StartAsync(python, "generators_asyncio");
        var ready = target.Process.Ready;
        var mainId = ready.GetProperty("main_native_id").GetInt64();
        var asyncioId = ready.GetProperty("asyncio_native_id").GetInt64();
        var sawGenerators = false;
        var sawCoroutine = false;

        for (var i = 0; i < 200 && !(sawGenerators && sawCoroutine); i++)
        {
            var stacks = new List<ThreadStack>();
            if (target.Sampler.Sample(stacks) != SampleStatus.Ok)
            {
                continue;
            }
            var main = stacks.FirstOrDefault(s => s.NativeThreadId == mainId)?.Frames.Select(f => f.Name).ToList() ?? [];
            sawGenerators |= main.Count >= 3 && main.IndexOf("produce") >= 0 && main.IndexOf("produce") < main.IndexOf("transform") && main.IndexOf("transform") < main.IndexOf("consume");
            sawCoroutine |= stacks.FirstOrDefault(s => s.NativeThreadId == asyncioId)?.Frames.Any(f => f.Name == "crunch") == true;
            await Task.Delay(5);
        }

        Assert.True(sawGenerators, "never saw produce → transform → consume on the main thread");
        Assert.True(sawCoroutine, "never saw the crunch coroutine on the asyncio thread");
    }

    [PythonTheory]
    public async Task Watcher_ZombieChild_IsIgnoredWhileTheParentIsSampled(TestPython python)
    {
        using var process = await PythonProcess.StartAsync(python, "zombie_child");
        var child = process.Ready.GetProperty("child_pid").GetInt32();
        using var watcher = new ProcessWatcher(process.Pid, subprocesses: true, PythonProcessProbe.Create(), new ProcProcessTable(Pyrometer.Sampling.Target.ProcFs.Default));

        watcher.Scan();

        Assert.Equal([process.Pid], watcher.Current.Select(p => p.ProcessId));
        Assert.DoesNotContain(watcher.Seen, p => p.ProcessId == child);
    }

    [PythonTheory]
    public async Task Sampler_TargetExitsMidProfile_StopsAndKeepsWhatWasSampled(TestPython python)
    {
        using var process = await PythonProcess.StartAsync(python, "exits_soon", ["--seconds", "1"]);
        using var watcher = new ProcessWatcher(process.Pid, subprocesses: false, PythonProcessProbe.Create(), new ProcProcessTable(Pyrometer.Sampling.Target.ProcFs.Default));
        watcher.Scan();
        watcher.Start(TimeSpan.FromMilliseconds(50));
        var sink = new CountingSink();
        using var states = new ProcThreadStates();

        var stats = new Sampler(watcher, states, sink, new SamplerSettings(200, TimeSpan.FromSeconds(60), SamplingMode.Wall)).Run(CancellationToken.None);

        Assert.Equal(StopReason.TargetExited, stats.StoppedBecause);
        Assert.True(sink.Burn > 0, "no sample of burn_until_exit was kept");
    }

    private sealed class CountingSink : IStackSink
    {
        public int Burn { get; private set; }

        public void Add(IProcessSampler process, ThreadStack stack) => Burn += stack.Frames.Any(f => f.Name == "burn_until_exit") ? 1 : 0;

        public void TickCompleted(long timestamp)
        {
        }
    }
}
