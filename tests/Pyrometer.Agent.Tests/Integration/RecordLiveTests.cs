using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Xml.Linq;
using Pyrometer.Agent.Contracts;
using Pyrometer.Sampling.Tests.Live;

namespace Pyrometer.Agent.Tests.Integration;

/// <summary><c>pyrometer record</c> end to end against real CPython processes.</summary>
[Trait("Category", "Integration")]
public sealed class RecordLiveTests
{
    private static string Pid(PythonProcess process) => process.Pid.ToString(CultureInfo.InvariantCulture);

    [PythonTheory(MinVersion = "3.8")]
    public async Task Record_HotFunctions_WritesEveryFormatAndAnOkResult(TestPython python)
    {
        using var target = await PythonProcess.StartAsync(python, "hot_functions");
        using var run = new AgentRun();

        // 1 kHz for 4 s: cpu mode keeps only the ticks the target held a CPU, a fraction of them on a loaded
        // machine (44 in 1.5 s at load 30). hot_a has 60 % of the CPU and hot_b 30 %: from 60 samples on,
        // hot_b outnumbers hot_a with a chance under 1 %.
        var exit = await run.RecordAsync("--pid", Pid(target), "--duration", "4", "--rate", "1000", "--format", "flamegraph,speedscope,folded,pprof");

        Assert.Equal(0, exit);
        var result = run.Result();
        Assert.Equal(ResultStatus.Ok, result.Status);
        Assert.True(result.Samples >= 60, $"{result.Samples} samples");
        Assert.Equal("hot_a", result.Top[0].Function);
        Assert.Equal(python.Version, result.Processes.Single().Python);
        Assert.Equal(4, result.Artifacts.Count);
        foreach (var artifact in result.Artifacts)
        {
            var path = run.Artifact(artifact.Format switch { "flamegraph" => ".svg", "speedscope" => ".speedscope.json", "folded" => ".folded", _ => ".pb.gz" });
            Assert.Equal(new FileInfo(path).Length, artifact.Bytes);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))), artifact.Sha256);
        }
        Assert.Contains("hot_a", XDocument.Load(run.Artifact(".svg")).ToString(), StringComparison.Ordinal);
    }

    [PythonTheory(MinVersion = "3.8")]
    public async Task Record_TargetExitsMidProfile_KeepsWhatWasSampled(TestPython python)
    {
        using var target = await PythonProcess.StartAsync(python, "exits_soon", ["--seconds", "2"]);   // 2 s: attaching can take over 1 s on a loaded machine
        using var run = new AgentRun();

        var exit = await run.RecordAsync("--pid", Pid(target), "--duration", "30", "--format", "flamegraph,folded");

        Assert.Equal(0, exit);
        var result = run.Result();
        Assert.Equal(ResultStatus.Partial, result.Status);
        Assert.Equal(ErrorCodes.TargetExited, result.Error!.Code);
        Assert.True(result.Samples > 0);
        Assert.Contains("burn_until_exit", await File.ReadAllTextAsync(run.Artifact(".folded")), StringComparison.Ordinal);
    }

    [PythonTheory]
    public async Task Record_Blocking_SamplesAndLeavesTheTargetRunning(TestPython python)
    {
        using var target = await PythonProcess.StartAsync(python, "hot_functions");
        using var run = new AgentRun();

        var exit = await run.RecordAsync("--pid", Pid(target), "--duration", "1", "--blocking", "--format", "folded");

        Assert.Equal(0, exit);
        Assert.True(run.Result().Samples > 0);
        var state = (await File.ReadAllTextAsync($"/proc/{target.Pid}/stat")).Split(')')[^1].Trim()[0];
        Assert.NotEqual('t', state);
        var before = (await target.SendAsync("shares")).GetProperty("rounds").GetInt32();
        await Task.Delay(200);
        Assert.True((await target.SendAsync("shares")).GetProperty("rounds").GetInt32() > before, "the target stopped making progress after --blocking");
    }

    [Fact]
    public async Task Record_NotPython_ExitsWith5AndSaysSo()
    {
        using var sleeper = Process.Start("sleep", "30");
        using var run = new AgentRun();
        try
        {
            var exit = await run.RecordAsync("--pid", sleeper.Id.ToString(CultureInfo.InvariantCulture), "--duration", "1");

            Assert.Equal(5, exit);
            var result = run.Result();
            Assert.Equal(ResultStatus.Error, result.Status);
            Assert.Equal(ErrorCodes.NotPython, result.Error!.Code);
            Assert.Contains("does not look like CPython", result.Error.Message, StringComparison.Ordinal);
        }
        finally
        {
            sleeper.Kill();
        }
    }

    [Fact]
    public async Task Record_NoSuchProcess_ExitsWith3()
    {
        using var run = new AgentRun();

        var exit = await run.RecordAsync("--pid", "999999999", "--duration", "1");

        Assert.Equal(3, exit);
        Assert.Equal(ErrorCodes.ProcessNotFound, run.Result().Error!.Code);
    }

    [Fact]
    public async Task Record_BadCommandLine_ExitsWith2()
    {
        Assert.Equal(2, await Pyrometer.Agent.Cli.PyrometerCommandLine.RunAsync(["record", "--pid", "1", "--rate", "0"]));
        Assert.Equal(2, await Pyrometer.Agent.Cli.PyrometerCommandLine.RunAsync(["record", "--no-such-option"]));
    }
}
