using System.Diagnostics;
using System.Globalization;
using Pyrometer.Agent.Contracts;
using Pyrometer.Sampling.Tests.Live;

namespace Pyrometer.Agent.Tests.Integration;

/// <summary>
/// Issue #13, bug 8: at 1 kHz the run went on about a second after the target exited and that second
/// counted in the duration. The kernel drops an exiting process's memory (reads fail with ESRCH) and
/// only then, after tearing the address space down, shows it as a zombie; the run saw the failing read,
/// found the PID still listed, and ended only at the next scan, a second later.
/// </summary>
/// <remarks>
/// The target holds 128 MB it has touched, so the kernel's teardown widens the window in which reads
/// fail while /proc still lists it. A run ended by the exit lasts until its last successful read, which
/// comes after the target's exec and before its exit; the target writes its lifetime since exec and
/// leaves at once (os._exit), so the duration cannot exceed that lifetime but by what a sample taken
/// between those two statements adds: <see cref="Slack"/> bounds that, well below the old second.
/// </remarks>
[Trait("Category", "Integration")]
public sealed class TargetExitLiveTests
{
    private static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(300);

    // argv: lifetime file, ready file. Busy for a second once ready (cpu mode has samples), then writes
    // its lifetime since exec, from the kernel's start time.
    private const string BurnThenReportLifetime = """
        import os, sys, time

        def burn_until_exit(deadline):
            x = 0
            while time.monotonic() < deadline:
                x = (x * 31 + 1) % 1000003

        ballast = bytearray(128 << 20)
        for page in range(0, len(ballast), 4096):
            ballast[page] = 1
        open(sys.argv[2], 'w').close()
        burn_until_exit(time.monotonic() + 1)
        with open('/proc/self/stat') as stat:
            started = int(stat.read().rsplit(')', 1)[1].split()[19]) / os.sysconf('SC_CLK_TCK')
        with open(sys.argv[1], 'w') as out:
            out.write(repr(time.clock_gettime(time.CLOCK_BOOTTIME) - started))
        os._exit(0)
        """;

    [PythonTheory(MinVersion = "3.8")]
    public async Task Record_LaunchedTargetExits_DurationEndsAtItsExit(TestPython python)
    {
        using var run = new AgentRun();
        var (lifetimeFile, readyFile) = (Path.Combine(run.Directory, "lifetime"), Path.Combine(run.Directory, "ready"));

        var exit = await run.RecordAsync("--duration", "60", "--rate", "1000", "--format", "folded",
            "--", python.Path, "-B", "-c", BurnThenReportLifetime, lifetimeFile, readyFile);

        var result = run.Result();
        Assert.True(exit == 0, $"exit {exit}: {result.Error?.Message}");
        Assert.Equal(ResultStatus.Ok, result.Status);   // a launched command ending is the normal end
        Assert.True(result.Samples > 0);
        await AssertEndedAtExitAsync(result, lifetimeFile);
    }

    [PythonTheory(MinVersion = "3.8")]
    public async Task Record_AttachedTargetExits_StopsWithTargetExitedAtItsExit(TestPython python)
    {
        using var run = new AgentRun();
        var (lifetimeFile, readyFile) = (Path.Combine(run.Directory, "lifetime"), Path.Combine(run.Directory, "ready"));
        using var target = Process.Start(new ProcessStartInfo(python.Path, ["-B", "-c", BurnThenReportLifetime, lifetimeFile, readyFile]))!;
        try
        {
            for (var wait = Stopwatch.StartNew(); !File.Exists(readyFile) && !target.HasExited && wait.Elapsed < TimeSpan.FromMinutes(1);)
            {
                await Task.Delay(10);
            }

            var exit = await run.RecordAsync("--pid", target.Id.ToString(CultureInfo.InvariantCulture), "--duration", "60", "--rate", "1000", "--format", "folded");

            var result = run.Result();
            Assert.True(exit == 0, $"exit {exit}: {result.Error?.Message}");
            Assert.Equal(ErrorCodes.TargetExited, result.Error?.Code);
            Assert.True(result.Samples > 0);
            await target.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
            await AssertEndedAtExitAsync(result, lifetimeFile);
        }
        finally
        {
            if (!target.HasExited)
            {
                target.Kill();
            }
        }
    }

    private static async Task AssertEndedAtExitAsync(AgentResult result, string lifetimeFile)
    {
        var lifetime = double.Parse(await File.ReadAllTextAsync(lifetimeFile), CultureInfo.InvariantCulture);
        Assert.True(result.DurationSeconds <= lifetime + Slack.TotalSeconds,
            $"sampled for {result.DurationSeconds:0.000} s; the target lived {lifetime:0.000} s");
    }
}
