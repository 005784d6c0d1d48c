using System.Globalization;
using System.Text.Json;
using Pyrometer.Sampling.Tests.Live;

namespace Pyrometer.Agent.Tests.Integration;

/// <summary><c>record --format speedscope</c> against real CPython: a time-ordered profile per thread, named as the target names them.</summary>
[Trait("Category", "Integration")]
public sealed class SpeedscopeLiveTests
{
    [PythonTheory(MinVersion = "3.8")]
    public async Task Record_Speedscope_OneTimeOrderedProfilePerNamedThread(TestPython python)
    {
        using var target = await PythonProcess.StartAsync(python, "many_threads", ["--threads", "2", "--mode", "sleep"]);
        using var run = new AgentRun();

        // wall mode: every thread is kept at every tick, so each has samples however loaded the machine is.
        var exit = await run.RecordAsync("--pid", target.Pid.ToString(CultureInfo.InvariantCulture), "--duration", "1.5", "--mode", "wall", "--format", "speedscope");

        Assert.Equal(0, exit);
        using var file = JsonDocument.Parse(await File.ReadAllTextAsync(run.Artifact(".speedscope.json")));
        var frames = file.RootElement.GetProperty("shared").GetProperty("frames").EnumerateArray().Select(f => f.GetProperty("name").GetString()!).ToList();
        var profiles = file.RootElement.GetProperty("profiles").EnumerateArray().ToList();
        // What the target says about itself: each worker's thread name, native id and function.
        foreach (var thread in target.Ready.GetProperty("threads").EnumerateArray())
        {
            var name = $"thread {thread.GetProperty("native_id").GetInt64()} {thread.GetProperty("name").GetString()}";
            var profile = Assert.Single(profiles, p => p.GetProperty("name").GetString()!.EndsWith(" / " + name, StringComparison.Ordinal));
            Assert.Equal("microseconds", profile.GetProperty("unit").GetString());
            var stacks = profile.GetProperty("samples").EnumerateArray().Select(s => s.EnumerateArray().Select(i => frames[i.GetInt32()]).ToList()).ToList();
            var function = thread.GetProperty("function").GetString()!;
            Assert.Contains(stacks, s => s.Contains(function));
            Assert.DoesNotContain(stacks, s => s.Any(f => f.StartsWith("worker_", StringComparison.Ordinal) && f != function));
            // The samples fill the recording's time: weights add up to the profile's span.
            var weights = profile.GetProperty("weights").EnumerateArray().Sum(w => w.GetInt64());
            Assert.Equal(profile.GetProperty("endValue").GetInt64() - profile.GetProperty("startValue").GetInt64(), weights);
        }
        Assert.All(profiles, p => Assert.StartsWith($"pid {target.Pid} ", p.GetProperty("name").GetString(), StringComparison.Ordinal));
        // Functions are not split per line: one frame per function and file.
        Assert.Equal(frames.Count, file.RootElement.GetProperty("shared").GetProperty("frames").EnumerateArray()
            .Select(f => (f.GetProperty("name").GetString(), f.TryGetProperty("file", out var p) ? p.GetString() : "")).Distinct().Count());
    }
}
