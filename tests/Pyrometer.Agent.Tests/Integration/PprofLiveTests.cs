using System.Globalization;
using Pyrometer.Rendering.Folded;
using Pyrometer.Rendering.Model;
using Pyrometer.Rendering.Pprof;
using Pyrometer.Sampling.Tests.Live;

namespace Pyrometer.Agent.Tests.Integration;

/// <summary><c>record --format pprof</c> against real CPython: thread and process labels without <c>--threads</c>.</summary>
[Trait("Category", "Integration")]
public sealed class PprofLiveTests
{
    [PythonTheory(MinVersion = "3.8")]
    public async Task Record_PprofWithoutThreads_SamplesCarryTheirThreadAndProcessWhileFoldedStaysAggregated(TestPython python)
    {
        using var target = await PythonProcess.StartAsync(python, "many_threads", ["--threads", "2", "--mode", "sleep"]);
        using var run = new AgentRun();

        // wall mode: every thread is kept at every tick, so each has samples however loaded the machine is.
        var exit = await run.RecordAsync("--pid", target.Pid.ToString(CultureInfo.InvariantCulture), "--duration", "1.5", "--mode", "wall", "--format", "pprof,folded");

        Assert.Equal(0, exit);
        Profile pprof;
        await using (var file = File.OpenRead(run.Artifact(".pb.gz")))
        {
            pprof = PprofReader.Read(file);
        }
        Profile folded;
        await using (var file = File.OpenRead(run.Artifact(".folded")))
        {
            folded = FoldedReader.Read(file, ProfileMetadata.None);
        }
        // The folded profile is aggregated as asked (no pseudo-frames); pprof has the same samples, each under
        // the labels of its process and thread (read back as pid/thread frames).
        Assert.DoesNotContain(folded.Frames, f => f.IsPseudo);
        Assert.Equal(folded.TotalSamples, pprof.TotalSamples);
        foreach (var thread in target.Ready.GetProperty("threads").EnumerateArray())
        {
            var threadFrame = $"thread {thread.GetProperty("native_id").GetInt64()} {thread.GetProperty("name").GetString()}";
            var function = thread.GetProperty("function").GetString()!;
            var stacks = Enumerable.Range(0, pprof.StackCount).Select(i => pprof.GetStack(i).ToArray().Select(id => pprof.GetFrame(id)).ToList()).ToList();
            var own = stacks.Where(s => s.Any(f => f.Text == threadFrame)).ToList();
            Assert.NotEmpty(own);
            Assert.All(own, s => Assert.Equal(FrameKind.Process, s[0].Kind));
            Assert.All(own, s => Assert.Equal(target.Pid, s[0].Number));
            Assert.Contains(own, s => s.Any(f => f.Name == function));
            Assert.DoesNotContain(own, s => s.Any(f => f.Name.StartsWith("worker_", StringComparison.Ordinal) && f.Name != function));
        }
    }
}
