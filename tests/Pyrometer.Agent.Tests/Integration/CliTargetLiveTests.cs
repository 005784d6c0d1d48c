using System.Globalization;
using System.Text.Json;
using Pyrometer.Agent.Contracts;

namespace Pyrometer.Agent.Tests.Integration;

/// <summary>
/// Target selection and its hints on the published binary, against real Python processes: the busy one of two
/// is chosen (by record, top and dump alike), and an idle parent whose work is in Python children says so.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CliTargetLiveTests : IDisposable
{
    private const string Idle = "import time\nprint('ready', flush=True)\ntime.sleep(600)\n";
    private const string Busy = "print('ready', flush=True)\nwhile True:\n    pass\n";

    // An idle master with 4 Python workers (idle too: the hint is about where the work could be, not load).
    private const string Master = """
        import subprocess, sys, time
        workers = [subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"]) for _ in range(4)]
        print("ready", flush=True)
        time.sleep(600)
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("pyrometer-cli-").FullName;
    private readonly string _marker = "pyrometer-cli-test-" + Guid.NewGuid().ToString("N");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [LivePythonFact]
    public async Task Record_MatchingTwo_ChoosesTheBusyOne_AndSaysWhy()
    {
        using var idle = await InlinePython.StartAsync(Idle, _marker);   // older: the old rule (topmost) took it
        using var busy = await InlinePython.StartAsync(Busy, _marker);
        var result = Path.Combine(_directory, "result.json");

        var (exit, _, error) = await NativeAgent.RunAsync("record", "--match", _marker, "--duration", "1", "-f", "folded", "--output-dir", _directory, "--result-file", result, "--no-progress");

        Assert.Equal(0, exit);
        var processes = AgentResultWriter.Parse(await File.ReadAllBytesAsync(result))!.Processes;
        Assert.Equal(busy.Pid, Assert.Single(processes).Pid);
        Assert.Contains($"chose PID {busy.Pid} (", error, StringComparison.Ordinal);
        Assert.Contains($"not chosen: PID {idle.Pid} (", error, StringComparison.Ordinal);
    }

    [LivePythonFact]
    public async Task Dump_AcceptsMatch_AndReadsTheBusyOne()
    {
        using var idle = await InlinePython.StartAsync(Idle, _marker);
        using var busy = await InlinePython.StartAsync(Busy, _marker);

        var (exit, output, _) = await NativeAgent.RunAsync("dump", "--match", _marker, "--json");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        var process = Assert.Single(json.RootElement.GetProperty("processes").EnumerateArray());
        Assert.Equal(busy.Pid, process.GetProperty("pid").GetInt32());
    }

    [LivePythonFact]
    public async Task Top_AcceptsPidAutoWithMatch_AndWatchesTheBusyOne()
    {
        using var idle = await InlinePython.StartAsync(Idle, _marker);
        using var busy = await InlinePython.StartAsync(Busy, _marker);

        var (exit, output, error) = await NativeAgent.RunAsync("top", "--pid", "auto", "--match", _marker, "-n", "1", "--interval", "0.5");

        Assert.Equal(0, exit);
        Assert.Contains($"chose PID {busy.Pid} (", error, StringComparison.Ordinal);
        Assert.Contains("pyrometer top:", output, StringComparison.Ordinal);
    }

    [LivePythonTheory]
    [InlineData("cpu", "no Python thread was running")]
    [InlineData("gil", "no thread held the GIL")]
    public async Task Record_IdleParentOfPythonChildren_SaysAddS(string mode, string why)
    {
        using var master = await InlinePython.StartAsync(Master);

        var (exit, output, error) = await NativeAgent.RunAsync("record", "--pid", master.Pid.ToString(CultureInfo.InvariantCulture), "--mode", mode, "--duration", "1",
            "-f", "folded", "--output-dir", _directory, "--no-progress");

        Assert.Equal(1, exit);
        Assert.Contains(why, output + error, StringComparison.Ordinal);
        Assert.Contains("it has 4 Python child processes: add -s (--subprocesses)", output + error, StringComparison.Ordinal);
    }

    [LivePythonFact]
    public async Task Top_IdleParentOfPythonChildren_SaysAddS()
    {
        using var master = await InlinePython.StartAsync(Master);

        var (exit, output, _) = await NativeAgent.RunAsync("top", "--pid", master.Pid.ToString(CultureInfo.InvariantCulture), "-n", "1", "--interval", "0.5");

        Assert.Equal(0, exit);
        Assert.Contains("it has 4 Python child processes: add -s (--subprocesses)", output, StringComparison.Ordinal);
    }
}
