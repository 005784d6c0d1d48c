using System.Diagnostics;
using System.Globalization;
using Pyrometer.Sampling.Tests.Live;
using Xunit.Abstractions;

namespace Pyrometer.Agent.Tests.Integration;

/// <summary>
/// Async mode beside CPython 3.15's own sampler (<c>python3.15 -m profiling.sampling attach --async-aware</c>):
/// both record the same task at the same time and rate, and must agree on how its time splits between
/// two awaits — with each other and with what the task measured itself.
/// </summary>
[Trait("Category", "Integration")]
public sealed class AsyncPeerSharesLiveTests(ITestOutputHelper output)
{
    private const int Seconds = 10;
    private const int Rate = 100;

    // Each share is estimated from the task's samples: the bound is a bias (the task runs between its
    // awaits, which the two samplers show differently; the edges of the windows differ by a fraction of
    // a cycle) plus four standard errors of the difference, from the samples each actually took. Below
    // MinSamples (a starved sampler on a loaded machine) the figures say nothing: inconclusive.
    private const double BiasPoints = 3;
    private const int MinSamples = 300;

    [CPythonSamplerFact]
    public async Task RecordAsync_TaskSplitBetweenTwoAwaits_SharesAgreeWithCPythonsOwnSampler()
    {
        var python = CPythonSampler.Python!;
        using var target = await PythonProcess.StartAsync(python, "async_shares");
        using var run = new AgentRun();
        var theirsPath = Path.Combine(run.Directory, "theirs.collapsed");
        await target.SendAsync("reset");

        using var peer = StartPeer(python, target.Pid, theirsPath);
        var peerError = peer.StandardError.ReadToEndAsync();
        var peerOutput = peer.StandardOutput.ReadToEndAsync();
        var exit = await run.RecordAsync("--pid", target.Pid.ToString(CultureInfo.InvariantCulture), "--async",
            "--duration", Seconds.ToString(CultureInfo.InvariantCulture), "--rate", Rate.ToString(CultureInfo.InvariantCulture), "--format", "folded");
        try
        {
            await peer.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(Seconds + 120));   // a hang guard, not a speed assertion
        }
        finally
        {
            if (!peer.HasExited)
            {
                peer.Kill();
            }
        }
        var truthReply = await target.SendAsync("shares");

        Assert.Equal(0, exit);
        Assert.True(peer.ExitCode == 0, $"python -m profiling.sampling exited with {peer.ExitCode}: {await peerError}{await peerOutput}");
        var ours = Count(await File.ReadAllLinesAsync(run.Artifact(".folded")), OursIsTask, OursFunction);
        var theirs = Count(await File.ReadAllLinesAsync(theirsPath), TheirsIsTask, TheirsFunction);
        var spentLong = truthReply.GetProperty("long_wait").GetDouble();
        var truth = 100 * spentLong / (spentLong + truthReply.GetProperty("short_wait").GetDouble());

        var figures = $"long_wait share: ours {ours.Share:0.0}% of {ours.Samples} samples, CPython's {theirs.Share:0.0}% of {theirs.Samples}, "
            + $"the task's own {truth:0.0}% (CPython {python.Version})";
        output.WriteLine(figures);
        Assert.True(ours.Samples >= MinSamples && theirs.Samples >= MinSamples, $"inconclusive: too few samples of the task: {figures}");
        var p = Math.Clamp(truth / 100, 0.05, 0.95);
        var apart = BiasPoints + 4 * 100 * Math.Sqrt(p * (1 - p) / ours.Samples + p * (1 - p) / theirs.Samples);
        Assert.True(Math.Abs(ours.Share - theirs.Share) <= apart, $"ours and CPython's sampler disagree by more than {apart:0.0} points: {figures}");
        var fromTruth = BiasPoints + 4 * 100 * Math.Sqrt(p * (1 - p) / ours.Samples);
        Assert.True(Math.Abs(ours.Share - truth) <= fromTruth, $"ours is more than {fromTruth:0.0} points from the task's own figure: {figures}");
    }

    private static Process StartPeer(TestPython python, int pid, string output)
    {
        var info = new ProcessStartInfo(python.Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in CPythonSampler.RecordArguments(pid, Seconds, Rate, output))
        {
            info.ArgumentList.Add(arg);
        }
        return Process.Start(info) ?? throw new InvalidOperationException("could not start " + python.Path);
    }

    // The samples of the task "split" in long_wait and in short_wait, and long_wait's share (percent) of both.
    private static (double Share, long Samples) Count(string[] lines, Func<string[], bool> isTask, Func<string, string> function)
    {
        long inLong = 0, inShort = 0;
        foreach (var line in lines)
        {
            var space = line.LastIndexOf(' ');
            if (space <= 0 || !long.TryParse(line.AsSpan(space + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                continue;
            }
            var frames = line[..space].Split(';');
            if (!isTask(frames))
            {
                continue;
            }
            var functions = frames.Select(function).ToList();
            if (functions.Contains("long_wait"))
            {
                inLong += count;
            }
            else if (functions.Contains("short_wait"))
            {
                inShort += count;
            }
        }
        var samples = inLong + inShort;
        return (samples == 0 ? 0 : 100.0 * inLong / samples, samples);
    }

    // Ours: "[task split];split (file:line);long_wait (file:line);sleep (…);[await Future]".
    private static bool OursIsTask(string[] frames) => frames.Contains("[task split]");

    private static string OursFunction(string frame) => frame.Split(" (")[0];

    // CPython's: "tid:N;<task>:split:0;async_shares.py:split:36;async_shares.py:long_wait:25;tasks.py:sleep:725".
    private static bool TheirsIsTask(string[] frames) => frames.Any(f => f.StartsWith("<task>:split:", StringComparison.Ordinal));

    private static string TheirsFunction(string frame)
    {
        var parts = frame.Split(':');
        return parts.Length >= 3 ? parts[^2] : frame;
    }
}
