using System.Globalization;
using System.Text.Json;
using Pyrometer.Agent.Contracts;
using Pyrometer.Sampling.Tests.Live;

namespace Pyrometer.Agent.Tests.Integration;

/// <summary>
/// Blocked asyncio event loops, found from outside and compared with the blocks the target timed
/// itself (Scripts/blocked_loop.py): two loops, on the main thread and another, each blocked by
/// two 0.6 s sleeps and a 0.4 s CPU loop, with idle gaps between; and (Scripts/loop_blocks.py) blocks on
/// uvloop's C loop, tasks of one coroutine function blocking back to back, and a synchronous program
/// making the same calls, which is no loop at all.
/// </summary>
[Trait("Category", "Integration")]
public sealed class LoopBlockedLiveTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pyrometer-blocked-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [PythonTheory(MinVersion = "3.8")]
    public async Task Record_BlockedLoopsInTwoThreads_CountsEachBlockAndTimesThemWithinTenPercent(TestPython python)
    {
        using var target = await PythonProcess.StartAsync(python, "blocked_loop", ["--threads", "1"]);
        var pid = target.Pid.ToString(CultureInfo.InvariantCulture);
        var resultFile = Path.Combine(_directory, "result.json");
        // Default mode (cpu): the tracker sees the sleeping loop too, before the mode picks its samples.
        using var agent = AgentProcess.Start(["record", "--pid", pid, "--format", "folded", "--output-dir", _directory, "--result-file", resultFile, "--no-progress"]);
        await agent.WaitForErrorOutputAsync($"pid {pid}: sampling Python");

        var blocks = (await target.SendAsync("block")).GetProperty("blocks").EnumerateArray().Select(Block.From).ToList();
        await target.SendAsync("quit");
        var (_, output) = await agent.WaitAsync();

        var result = AgentResultWriter.Parse(await File.ReadAllBytesAsync(resultFile))!;
        var blocked = result.EventLoopBlocked;
        Assert.True(blocked is not null, "no eventLoopBlocked in the result; agent output: " + output);
        var expectedMs = blocks.Sum(b => b.Seconds) * 1000;
        var longest = blocks.MaxBy(b => b.Seconds)!;
        Assert.Equal(6, blocks.Count);
        Assert.Equal(blocks.Count, blocked.Count);
        // The agent times a block to within half a tick gap at each end, unbiased: 10 % of 3 s is many ticks.
        Assert.InRange(blocked.TotalMs, expectedMs * 0.9, expectedMs * 1.1);
        Assert.InRange(blocked.WorstMs, 0.6 * 1000 * 0.9, longest.Seconds * 1000 * 1.1);
        Assert.Equal(longest.Function, blocked.WorstFunction);
        Assert.StartsWith(longest.Task + " (", blocked.WorstStack[0], StringComparison.Ordinal);
        Assert.Contains(blocked.WorstStack, frame => frame.StartsWith("blocking_io (", StringComparison.Ordinal) && frame.Contains("blocked_loop.py", StringComparison.Ordinal));
        Assert.Equal(target.Pid, blocked.WorstPid);
        Assert.Contains("pyrometer: " + blocked.Describe(), output, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"in {blocks.Count} blocks; worst "), output, StringComparison.Ordinal);
    }

    [PythonTheory(MinVersion = "3.8")]
    public async Task Record_BlockedLoopsInWorkerProcesses_AddsThemUpOverTheTree(TestPython python)
    {
        using var target = await PythonProcess.StartAsync(python, "blocked_loop", ["--workers", "2"]);
        var pids = (int[])[target.Pid, .. target.Ready.GetProperty("workers").EnumerateArray().Select(w => w.GetInt32())];
        var resultFile = Path.Combine(_directory, "result.json");
        using var agent = AgentProcess.Start(["record", "--pid", target.Pid.ToString(CultureInfo.InvariantCulture), "--subprocesses",
            "--format", "folded", "--output-dir", _directory, "--result-file", resultFile, "--no-progress"]);
        foreach (var pid in pids)
        {
            await agent.WaitForErrorOutputAsync(string.Create(CultureInfo.InvariantCulture, $"pid {pid}: sampling Python"));
        }

        var blocks = (await target.SendAsync("block")).GetProperty("blocks").EnumerateArray().Select(Block.From).ToList();
        await target.SendAsync("quit");
        var (_, output) = await agent.WaitAsync();

        var blocked = AgentResultWriter.Parse(await File.ReadAllBytesAsync(resultFile))!.EventLoopBlocked;
        Assert.True(blocked is not null, "no eventLoopBlocked in the result; agent output: " + output);
        var expectedMs = blocks.Sum(b => b.Seconds) * 1000;
        Assert.Equal(pids.Order(), blocks.Select(b => b.Pid).Distinct().Order());
        Assert.Equal(9, blocks.Count);
        Assert.Equal(blocks.Count, blocked.Count);
        Assert.InRange(blocked.TotalMs, expectedMs * 0.9, expectedMs * 1.1);
        Assert.Equal("blocking_io", blocked.WorstFunction);
        Assert.Contains(blocked.WorstPid ?? 0, pids);
    }

    [PythonTheory(MinVersion = "3.8", Module = "uvloop")]
    public async Task Record_UvloopLoop_CountsEachBlockAndTimesThemWithinTenPercent(TestPython python)
    {
        var (blocks, blocked, output) = await RecordLoopBlocksAsync(python, "uvloop", "spaced");

        Assert.True(blocked is not null, "no eventLoopBlocked in the result; agent output: " + output);
        // A task, a plain call_soon callback (seen once the loop's driver frame is known), another task.
        Assert.Equal(["io_request", "plain_callback", "cpu_request"], blocks.Select(b => b.Task));
        Assert.Equal(blocks.Count, blocked.Count);
        var expectedMs = blocks.Sum(b => b.Seconds) * 1000;
        Assert.InRange(blocked.TotalMs, expectedMs * 0.9, expectedMs * 1.1);
        Assert.Equal("blocking_io", blocked.WorstFunction);
        Assert.StartsWith("io_request (", blocked.WorstStack[0], StringComparison.Ordinal);
    }

    [PythonTheory(MinVersion = "3.8", Module = "uvloop")]
    public async Task Record_UvloopTasksOfOneFunctionBackToBack_AreOneBlockEach(TestPython python) =>
        await AssertBackToBackBlocksAsync(python, "uvloop");

    [PythonTheory(MinVersion = "3.8")]
    public async Task Record_AsyncioTasksOfOneFunctionBackToBack_AreOneBlockEach(TestPython python) =>
        await AssertBackToBackBlocksAsync(python, "asyncio");

    [PythonTheory(MinVersion = "3.8")]
    public async Task Record_SynchronousProgramMakingTheSameCalls_IsNoBlockedLoop(TestPython python)
    {
        var (blocks, blocked, output) = await RecordLoopBlocksAsync(python, "none", "spaced", $"burst {BurstTasks}");

        Assert.Equal(3 + BurstTasks, blocks.Count);
        Assert.True(blocked is null, $"a synchronous program was reported as a blocked loop ({blocked?.Describe()}); agent output: {output}");
        // The agent did see the calls: wall mode keeps the sleeping main thread's stacks.
        var folded = string.Concat(Directory.GetFiles(_directory).Where(f => Path.GetFileName(f) != "result.json").Select(File.ReadAllText));
        Assert.Contains("blocking_io", folded, StringComparison.Ordinal);
        Assert.Contains("cpu_burn", folded, StringComparison.Ordinal);
    }

    private const int BurstTasks = 4;

    // N tasks of one coroutine function, each blocking 0.5 s with no await between them: the loop never
    // polls between them, but each is a task of its own, so N blocks. Only the burst's two ends carry
    // a timing error (half a tick gap each); inside it, each boundary is split between two blocks.
    private async Task AssertBackToBackBlocksAsync(TestPython python, string loop)
    {
        var (blocks, blocked, output) = await RecordLoopBlocksAsync(python, loop, $"burst {BurstTasks}");

        Assert.True(blocked is not null, "no eventLoopBlocked in the result; agent output: " + output);
        Assert.Equal(BurstTasks, blocks.Count);
        Assert.Equal(BurstTasks, blocked.Count);
        var expectedMs = blocks.Sum(b => b.Seconds) * 1000;
        Assert.InRange(blocked.TotalMs, expectedMs * 0.9, expectedMs * 1.1);
        Assert.Equal("blocking_io", blocked.WorstFunction);
        Assert.StartsWith("burst_request (", blocked.WorstStack[0], StringComparison.Ordinal);
    }

    // Records the script in wall mode while it runs COMMANDS one after another; returns the blocks it timed itself.
    private async Task<(List<Block> Blocks, ResultLoopBlocking? Blocked, string Output)> RecordLoopBlocksAsync(
        TestPython python, string loop, params string[] commands)
    {
        using var target = await PythonProcess.StartAsync(python, "loop_blocks", ["--loop", loop]);
        var pid = target.Pid.ToString(CultureInfo.InvariantCulture);
        var resultFile = Path.Combine(_directory, "result.json");
        using var agent = AgentProcess.Start(["record", "--pid", pid, "--mode", "wall", "--format", "folded", "--output-dir", _directory,
            "--result-file", resultFile, "--no-progress"]);
        await agent.WaitForErrorOutputAsync($"pid {pid}: sampling Python");

        var blocks = new List<Block>();
        foreach (var command in commands)
        {
            var reply = await target.SendAsync(command);
            Assert.True(reply.TryGetProperty("blocks", out var timed), $"{command}: {reply}");
            blocks.AddRange(timed.EnumerateArray().Select(e => new Block(target.Pid, "MainThread",
                e.GetProperty("function").GetString()!, e.GetProperty("task").GetString()!, e.GetProperty("seconds").GetDouble())));
        }
        await target.SendAsync("quit");
        var (_, output) = await agent.WaitAsync();
        var result = AgentResultWriter.Parse(await File.ReadAllBytesAsync(resultFile))!;
        return (blocks, result.EventLoopBlocked, output);
    }

    private sealed record Block(int Pid, string Thread, string Function, string Task, double Seconds)
    {
        public static Block From(JsonElement e) => new(e.GetProperty("pid").GetInt32(),
            e.GetProperty("thread").GetString()!, e.GetProperty("function").GetString()!, e.GetProperty("task").GetString()!, e.GetProperty("seconds").GetDouble());
    }
}
