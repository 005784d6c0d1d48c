using System.Globalization;
using System.Text.RegularExpressions;
using Pyrometer.Agent.Contracts;
using Pyrometer.Sampling.Tests.Live;

namespace Pyrometer.Agent.Tests.Integration;

/// <summary><c>pyrometer record -- CMD</c>: the agent starts the command itself, on every interpreter.</summary>
[Trait("Category", "Integration")]
public sealed partial class LaunchLiveTests
{
    // Generous: a hung agent fails the test instead of the whole run; a working one ends in ~3 s.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    // Inline, not a script of Scripts/: those serve commands on stdin and leave when it closes.
    private const string BurnTwoSeconds = """
        import time

        def burn_until_exit(deadline):
            x = 0
            while time.monotonic() < deadline:
                x = (x * 31 + 1) % 1000003

        burn_until_exit(time.monotonic() + 2)
        """;

    [PythonTheory(MinVersion = "3.8")]
    public Task Record_LaunchedPython_WaitsForTheInterpreterAndSamplesIt(TestPython python) =>
        RecordLaunchedAsync(python);

    [PythonTheory(MinVersion = "3.8")]
    public Task Record_LaunchedPythonWithSubprocesses_SamplesIt(TestPython python) =>
        RecordLaunchedAsync(python, "--subprocesses");

    [PythonTheory(MinVersion = "3.8")]
    public Task Record_LaunchedPythonBlocking_EndsWhenItExits(TestPython python) =>
        RecordLaunchedAsync(python, "--blocking");

    [Fact]
    public async Task Record_LaunchedCommandIsNotPython_SaysSoAndStopsIt()
    {
        using var run = new AgentRun();

        var exit = await WithinPatience(run.RecordAsync("--duration", "60", "--", "/bin/sleep", "120"));

        Assert.Equal(5, exit);
        var error = run.Result().Error!;
        Assert.Equal(ErrorCodes.NotPython, error.Code);
        Assert.Contains("is not a running CPython", error.Message, StringComparison.Ordinal);
        var pid = int.Parse(PidInMessage().Match(error.Message).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.False(Directory.Exists($"/proc/{pid}"), $"the launched sleep (pid {pid}) was left running or unreaped");
    }

    private static async Task RecordLaunchedAsync(TestPython python, string? option = null)
    {
        using var run = new AgentRun();
        string[] args = ["--duration", "60", "--rate", "200", "--format", "folded", .. option is null ? Array.Empty<string>() : [option],
            "--", python.Path, "-B", "-c", BurnTwoSeconds];

        var exit = await WithinPatience(run.RecordAsync(args));

        var result = run.Result();
        Assert.True(exit == 0, $"exit {exit}: {result.Error?.Message}");
        Assert.True(result.Samples > 0, $"{result.Samples} samples");
        // Exact: a launched 3.8–3.10 is attached young, before sys.version is written (#13, bug 5).
        Assert.Equal(await OwnVersionAsync(python), result.Processes.Single().Python);
        Assert.Contains("burn_until_exit", await File.ReadAllTextAsync(run.Artifact(".folded")), StringComparison.Ordinal);
        var child = result.Processes.Single().Pid;
        Assert.False(Directory.Exists($"/proc/{child}"), $"the launched command (pid {child}) was left a zombie");
    }

    private static async Task<string> OwnVersionAsync(TestPython python)
    {
        var info = new System.Diagnostics.ProcessStartInfo(python.Path, ["-c", "import platform; print(platform.python_version())"]) { RedirectStandardOutput = true };
        using var child = System.Diagnostics.Process.Start(info)!;
        var output = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        return output.Trim();
    }

    private static async Task<int> WithinPatience(Task<int> run)
    {
        var finished = await Task.WhenAny(run, Task.Delay(Patience));
        Assert.True(finished == run, $"the agent did not end within {Patience.TotalSeconds} s");
        return await run;
    }

    [GeneratedRegex(@"\(pid (\d+)\)")]
    private static partial Regex PidInMessage();
}
