using System.Diagnostics;
using System.Globalization;
using Pyrometer.Agent.Contracts;
using Pyrometer.Sampling.Tests.Live;

namespace Pyrometer.Agent.Tests.Integration;

/// <summary>
/// Issue #13, bug 8: at 1 kHz the run went on about a second after the target exited (the exit was
/// seen by a failing read while /proc still listed the process, then only by the next scan, a second
/// later) and that second counted in the duration. The run must end at the exit the reads detect.
/// </summary>
/// <remarks>
/// The bound is the target's own lifetime plus <see cref="Slack"/>, which covers the target's
/// finalisation after its last line and one tick. The duration counts from the attach, which comes
/// after the target started, so a busy machine only makes the duration shorter than the lifetime;
/// the old second after the exit could not fit.
/// </remarks>
[Trait("Category", "Integration")]
public sealed class TargetExitLiveTests
{
    private static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(300);

    // Busy for a second (cpu mode has samples), then its lifetime since exec, by the kernel's start time.
    private const string BurnThenReportLifetime = """
        import os, sys, time

        def burn_until_exit(deadline):
            x = 0
            while time.monotonic() < deadline:
                x = (x * 31 + 1) % 1000003

        burn_until_exit(time.monotonic() + 1)
        with open('/proc/self/stat') as stat:
            started = int(stat.read().rsplit(')', 1)[1].split()[19]) / os.sysconf('SC_CLK_TCK')
        with open(sys.argv[1], 'w') as out:
            out.write(repr(time.clock_gettime(time.CLOCK_BOOTTIME) - started))
        """;

    [PythonTheory(MinVersion = "3.8")]
    public async Task Record_LaunchedTargetExits_DurationEndsAtItsExit(TestPython python)
    {
        using var run = new AgentRun();
        var lifetimeFile = Path.Combine(run.Directory, "lifetime");

        var exit = await run.RecordAsync("--duration", "60", "--rate", "1000", "--format", "folded",
            "--", python.Path, "-B", "-c", BurnThenReportLifetime, lifetimeFile);

        var result = run.Result();
        Assert.True(exit == 0, $"exit {exit}: {result.Error?.Message}");
        Assert.Equal(ResultStatus.Ok, result.Status);   // a launched command ending is the normal end
        Assert.True(result.Samples > 0);
        var lifetime = double.Parse(await File.ReadAllTextAsync(lifetimeFile), CultureInfo.InvariantCulture);
        Assert.True(result.DurationSeconds <= lifetime + Slack.TotalSeconds,
            $"sampled for {result.DurationSeconds:0.000} s; the command lived {lifetime:0.000} s");
    }

    [PythonTheory(MinVersion = "3.8")]
    public async Task Record_AttachedTargetExits_StopsWithTargetExitedAtItsExit(TestPython python)
    {
        using var target = await PythonProcess.StartAsync(python, "exits_soon", ["--seconds", "1.5"]);
        using var run = new AgentRun();
        var clock = Stopwatch.StartNew();
        // When the exit is seen from here (SIGCHLD): never earlier than the exit itself.
        var exited = Task.Run(async () =>
        {
            await target.WaitForExitAsync(TimeSpan.FromMinutes(1));
            return clock.Elapsed;
        });

        var exit = await run.RecordAsync("--pid", target.Pid.ToString(CultureInfo.InvariantCulture), "--duration", "60", "--rate", "1000", "--format", "folded");
        var lifetime = await exited;

        Assert.Equal(0, exit);
        var result = run.Result();
        Assert.Equal(ErrorCodes.TargetExited, result.Error?.Code);
        Assert.True(result.Samples > 0);
        Assert.True(result.DurationSeconds <= (lifetime + Slack).TotalSeconds,
            $"sampled for {result.DurationSeconds:0.000} s; the target exited {lifetime.TotalSeconds:0.000} s after the agent started");
    }
}
