using System.Diagnostics;
using System.Globalization;
using Pyrometer.Agent.Cli;
using Pyrometer.Agent.Contracts;
using Pyrometer.Sampling.Tests.Live;

namespace Pyrometer.Agent.Tests.Integration;

/// <summary>
/// Unwritable outputs fail at once, before a minute of sampling is thrown away. The tests run as root,
/// which ignores permissions, so the unwritable place is a path through a regular file (ENOTDIR).
/// </summary>
[Trait("Category", "Integration")]
public sealed class OutputCheckLiveTests
{
    // The run asks for 40 s; failing fast means well under it, even on a loaded machine.
    private static readonly TimeSpan Fast = TimeSpan.FromSeconds(25);

    [PythonTheory(MinVersion = "3.15")]
    public async Task Record_OutputUnderAFile_FailsBeforeSamplingWithUsageError(TestPython python)
    {
        using var target = await PythonProcess.StartAsync(python, "hot_functions");
        using var run = new AgentRun();
        var bad = Path.Combine(NotADirectory(run), "profile.svg");

        var (exit, elapsed) = await Timed(["record", "--pid", Pid(target), "--duration", "40", "-o", bad, "--result-file", run.ResultPath, "--no-progress"]);

        AssertFailedFast(exit, elapsed);
        var message = run.Result().Error!.Message;
        Assert.Contains(bad, message, StringComparison.Ordinal);
        Assert.Contains("not a directory", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", message, StringComparison.Ordinal);
        Assert.DoesNotContain("IO_", message, StringComparison.Ordinal);
    }

    [PythonTheory(MinVersion = "3.15")]
    public async Task Record_OutputDirectoryUnderAFile_FailsBeforeSamplingWithUsageError(TestPython python)
    {
        using var target = await PythonProcess.StartAsync(python, "hot_functions");
        using var run = new AgentRun();
        var bad = Path.Combine(NotADirectory(run), "profiles");

        var (exit, elapsed) = await Timed(["record", "--pid", Pid(target), "--duration", "40", "--output-dir", bad, "--result-file", run.ResultPath, "--no-progress"]);

        AssertFailedFast(exit, elapsed);
        Assert.Contains(bad + ": not a directory", run.Result().Error!.Message, StringComparison.Ordinal);
    }

    [PythonTheory(MinVersion = "3.15")]
    public async Task Record_ResultFileUnderAFile_FailsBeforeSamplingWithUsageError(TestPython python)
    {
        using var target = await PythonProcess.StartAsync(python, "hot_functions");
        using var run = new AgentRun();

        var (exit, elapsed) = await Timed(["record", "--pid", Pid(target), "--duration", "40", "--output-dir", run.Directory,
            "--result-file", Path.Combine(NotADirectory(run), "result.json"), "--no-progress"]);

        AssertFailedFast(exit, elapsed);
        Assert.Empty(Directory.GetFiles(run.Directory, "*.svg"));
    }

    private static string Pid(PythonProcess process) => process.Pid.ToString(CultureInfo.InvariantCulture);

    private static string NotADirectory(AgentRun run)
    {
        var file = Path.Combine(run.Directory, "a-file");
        File.WriteAllText(file, "not a directory");
        return file;
    }

    private static async Task<(int Exit, TimeSpan Elapsed)> Timed(string[] args)
    {
        var clock = Stopwatch.StartNew();
        var exit = await PyrometerCommandLine.RunAsync(args);
        return (exit, clock.Elapsed);
    }

    private static void AssertFailedFast(int exit, TimeSpan elapsed)
    {
        Assert.Equal(2, exit);
        Assert.True(elapsed < Fast, $"failed only after {elapsed.TotalSeconds:0} s");
    }
}
