using System.Text.Json;
using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Sampling;
using Pyrometer.Sampling.Tests.Live;

namespace Pyrometer.Sampling.Tests.Integration;

/// <summary>CPU mode against real interpreters on a machine busier than its CPUs (issue #13, bugs 4 and 7).</summary>
[Trait("Category", "Integration")]
public sealed class CpuModeLiveTests
{
    private const string TwoCpus = "0,1";

    /// <summary>Longest a measurement samples: the target gets a quarter of two CPUs, much less on a loaded machine.</summary>
    private const int MaxSeconds = 120;
    private static readonly string[] Hot = ["hot_a", "hot_b", "cold_c"];

    // Sampling stops at 1500 kept samples. A loaded machine may give far fewer (160 in 150 s at load 40),
    // so each bound is a bias (measured up to 6.5 points at load 20; timed()'s truth is about 0) plus four
    // standard errors of a share estimated from the samples actually kept: 6.5 + 4.9 points for a third
    // at 1500 samples, wider with fewer. Below MinSamples the figures say nothing: the test fails as
    // inconclusive.
    private const int WantedSamples = 1500;
    private const int MinSamples = 100;
    private const double SharePoints = 6.5;
    private const double OtherPoints = 3;

    /// <summary>
    /// What the gate guarantees on any machine: shares near the thread_time truth, and almost nothing for
    /// timed(), which a state-letter check credited with 20-38 %. Tighter figures depend on how busy the
    /// rest of the machine is, so the 3-point goal is measured by the oversubscribed bench, not here. The
    /// gate reads the kernel's per-thread counters and is the same for every version: it is checked on the
    /// newest interpreters (the others' cpu-mode stacks are covered by the record tests).
    /// </summary>
    [PythonTheory(MinVersion = "3.14")]
    public async Task Sampler_HotFunctionsBesideTwoCpuHogs_SharesFollowThreadTime(TestPython python)
    {
        // Three busy loops and the target on two CPUs: 2x oversubscribed by construction, whatever else
        // runs. The target then often waits for a CPU while runnable ('R'), and it is preempted mostly
        // inside timed(): time.thread_time() is a system call and the kernel switches tasks on its way
        // out, so a state-letter check counts those waits as timed()'s CPU time.
        using var hogs = CpuHogs.Start(3, cpuList: TwoCpus);
        using var process = await PythonProcess.StartAsync(python, "hot_functions");
        CpuHogs.Pin(process.Pid, TwoCpus);

        var (sampled, truth, taken, others) = await MeasureAsync(process, minSamples: WantedSamples);

        Assert.True(taken >= MinSamples, $"inconclusive: only {taken} samples of the main thread in {MaxSeconds} s on Python {python.Version}");
        foreach (var name in Hot)
        {
            var bound = SharePoints + StandardErrors(truth[name], taken);
            Assert.True(Math.Abs(sampled[name] - truth[name]) <= bound,
                $"{name}: sampled {sampled[name]:0.0}% vs thread_time {truth[name]:0.0}% (bound {bound:0.0} points) on Python {python.Version} ({Describe(sampled)}, {taken} samples)");
        }
        var otherBound = OtherPoints + StandardErrors(OtherPoints, taken);
        Assert.True(sampled["other"] <= otherBound,
            $"timed() and its callers, which use almost no CPU, got {sampled["other"]:0.0}% (bound {otherBound:0.0}) on Python {python.Version}: {others}");
    }

    /// <summary>Four standard errors, in points, of a share near <paramref name="percent"/> estimated from <paramref name="samples"/>.</summary>
    private static double StandardErrors(double percent, long samples)
    {
        var p = Math.Clamp(percent / 100, 0.05, 0.5);
        return 4 * 100 * Math.Sqrt(p * (1 - p) / samples);
    }

    [PidNamespaceFact]
    public async Task Sampler_TargetInOtherPidNamespace_CpuModeKeepsItsBusyMainThread()
    {
        var pythons = TestPythons.Available;
        Assert.NotEmpty(pythons);
        foreach (var python in pythons)
        {
            // As a container seen from the host: the interpreter records thread ids of its own namespace.
            using var process = await PythonProcess.StartAsync(python, "hot_functions", launcher: [PidNamespaceFactAttribute.Unshare, "-p", "-f", "--mount-proc"]);
            var mainId = process.Ready.GetProperty("main_native_id").GetInt64();
            Assert.NotEqual(process.Pid, mainId);   // the ids differ, else this tests nothing

            // The bug kept none; 50 is what a starved target still gives within the time limit.
            var (sampled, _, taken, others) = await MeasureAsync(process, minSamples: 50);
            var (_, _, wall, _) = await MeasureAsync(process, minSamples: 50, SamplingMode.Wall);

            Assert.True(wall >= 50, $"wall mode took {wall} samples of the main thread in another PID namespace on Python {python.Version}");
            Assert.True(taken >= 50, $"cpu mode kept {taken} samples of a busy thread in another PID namespace on Python {python.Version}");
            Assert.True(Hot.Sum(n => sampled[n]) > 90, $"Python {python.Version}: {Describe(sampled)}: {others}");
        }
    }

    /// <summary>
    /// Samples the main thread (in CPU mode unless told) at 1 kHz until <paramref name="minSamples"/> were kept (at most
    /// <see cref="MaxSeconds"/>); returns sampled and thread_time shares in percent over the same window.
    /// </summary>
    private static async Task<(Dictionary<string, double> Sampled, Dictionary<string, double> Truth, long Taken, string Others)> MeasureAsync(
        PythonProcess process, int minSamples, SamplingMode mode = SamplingMode.Cpu)
    {
        var mainId = process.Ready.GetProperty("main_native_id").GetInt64();
        using var watcher = new ProcessWatcher(process.Pid, subprocesses: false, PythonProcessProbe.Create(), new ProcProcessTable(Pyrometer.Sampling.Target.ProcFs.Default));
        watcher.Scan();
        using var states = new ProcThreadStates();
        var sink = new MainThreadSink(mainId);

        var before = await process.SendAsync("shares");
        var deadline = Environment.TickCount64 + (MaxSeconds * 1000);
        while (sink.Total < minSamples && Environment.TickCount64 < deadline)
        {
            new Sampler(watcher, states, sink, new SamplerSettings(1000, TimeSpan.FromSeconds(2), mode)).Run(CancellationToken.None);
        }
        var after = await process.SendAsync("shares");

        var spent = Hot.ToDictionary(n => n, n => Seconds(after, n) - Seconds(before, n));
        var truth = Hot.ToDictionary(n => n, n => 100.0 * spent[n] / Math.Max(1e-9, spent.Values.Sum()));
        var sampled = sink.Counts.ToDictionary(p => p.Key, p => 100.0 * p.Value / Math.Max(1, sink.Total));
        return (sampled, truth, sink.Total, string.Join(" | ", sink.Others));
    }

    // "shares" answers fractions of "seconds", the thread_time spent in all three so far.
    private static double Seconds(JsonElement shares, string name) => shares.GetProperty("seconds").GetDouble() * shares.GetProperty(name).GetDouble();

    private static string Describe(Dictionary<string, double> shares) => string.Join(", ", shares.Select(p => $"{p.Key} {p.Value:0.0}%"));

    /// <summary>Counts the main thread's samples by the hot function they are in, or "other".</summary>
    private sealed class MainThreadSink(long threadId) : IStackSink
    {
        public Dictionary<string, long> Counts { get; } = Hot.Append("other").ToDictionary(n => n, _ => 0L, StringComparer.Ordinal);

        public long Total { get; private set; }

        /// <summary>A few stacks outside the hot functions, for the failure message.</summary>
        public List<string> Others { get; } = [];

        public void Add(IProcessSampler process, ThreadStack stack)
        {
            if (stack.NativeThreadId != threadId)
            {
                return;
            }
            Total++;
            var hot = stack.Frames.Select(f => f.Name).FirstOrDefault(n => Array.IndexOf(Hot, n) >= 0) ?? "other";
            Counts[hot]++;
            if (hot == "other" && Others.Count < 5)
            {
                Others.Add(string.Join(";", stack.Frames.Select(f => $"{f.Name}:{f.Line}")));
            }
        }

        public void TickCompleted(long timestamp)
        {
        }
    }
}
