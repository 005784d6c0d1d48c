using System.Globalization;

namespace Pyrometer.Sampling.Tests.Live;

/// <summary>Proves the live-test plumbing itself: every script starts on every interpreter and its dump is right.</summary>
[Trait("Category", "Integration")]
public sealed class PythonProcessTests
{
    // A dump is one snapshot; a thread that is between two frames at that instant is retried, a bounded number of times.
    private const int MaxDumps = 50;

    [PythonTheory]
    public async Task StartAsync_HotFunctions_ReadyMatchesProcessAndDumpShowsHotFunction(TestPython python)
    {
        using var target = await PythonProcess.StartAsync(python, "hot_functions");

        Assert.Equal(target.Pid, target.Ready.GetProperty("pid").GetInt32());
        Assert.Equal(target.Pid, target.Ready.GetProperty("main_native_id").GetInt32());
        Assert.Equal(python.Version, target.Ready.GetProperty("version").GetString());
        var main = (await target.DumpAsync()).Thread(target.Pid);
        Assert.Contains(main.Frames[0].Function, (string[])["hot_a", "hot_b", "cold_c", "timed", "main_loop"]);
        Assert.Equal(["main", "<module>"], main.Functions.TakeLast(2));
        Assert.All(main.Frames.SkipLast(1), f => Assert.EndsWith("hot_functions.py", f.File, StringComparison.Ordinal));
    }

    [PythonTheory]
    public async Task SendAsync_HotFunctionsShares_MatchBudgets(TestPython python)
    {
        using var target = await PythonProcess.StartAsync(python, "hot_functions", ["--unit-iterations", "5000"]);

        var shares = await target.SendAsync("shares");
        for (var i = 0; i < 1000 && shares.GetProperty("rounds").GetInt32() < 20; i++)
        {
            shares = await target.SendAsync("shares");
        }

        Assert.True(shares.GetProperty("rounds").GetInt32() >= 20, $"fewer than 20 rounds: {shares}");
        // Equal work per unit gives 6:3:1 of the thread's CPU time; the bound is loose because a few
        // rounds are measured with time.thread_time's coarse clock.
        Assert.InRange(shares.GetProperty("hot_a").GetDouble(), 0.45, 0.75);
        Assert.InRange(shares.GetProperty("hot_b").GetDouble(), 0.18, 0.42);
        Assert.InRange(shares.GetProperty("cold_c").GetDouble(), 0.03, 0.2);
    }

    [PythonTheory]
    public async Task SendAsync_UnknownCommand_AnswersErrorNamingKnownCommands(TestPython python)
    {
        using var target = await PythonProcess.StartAsync(python, "self_dump");

        var reply = await target.SendAsync("frobnicate");

        Assert.Contains("frobnicate", reply.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("dump", reply.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [PythonTheory]
    public async Task DumpAsync_DeepRecursion_Shows500RecurseFramesUnderSpin(TestPython python)
    {
        using var target = await PythonProcess.StartAsync(python, "deep_recursion");

        var main = (await target.DumpAsync()).Thread(target.Pid);

        Assert.Equal(500, target.Ready.GetProperty("depth").GetInt32());
        Assert.Equal("spin_at_bottom", main.Frames[0].Function);
        Assert.Equal(500, main.Functions.Count(f => f == "recurse"));
        Assert.Equal(["main", "<module>"], main.Functions.TakeLast(2));
        // Frames[1] is the deepest recurse, which called spin_at_bottom; every other one is on the recursive call.
        var recurseLine = target.Ready.GetProperty("lines").GetProperty("recurse").GetInt32();
        Assert.All(main.Frames.Skip(2).Take(499), f => Assert.Equal(("recurse", recurseLine), (f.Function, f.Line)));
    }

    [PythonTheory]
    public async Task DumpAsync_ManyThreads_EachWorkerInItsOwnFunctionWithReportedNativeId(TestPython python)
    {
        using var target = await PythonProcess.StartAsync(python, "many_threads", ["--threads", "6"]);

        var dump = await target.DumpAsync();

        var workers = target.Ready.GetProperty("threads").EnumerateArray().ToList();
        Assert.Equal(6, workers.Count);
        foreach (var worker in workers)
        {
            var thread = dump.Thread(worker.GetProperty("native_id").GetInt64());
            Assert.Equal(worker.GetProperty("name").GetString(), thread.Name);
            Assert.Equal(worker.GetProperty("function").GetString(), thread.Frames[0].Function);
            if (python.IsAtLeast(3, 11))
            {
                Assert.Equal(worker.GetProperty("function").GetString(), thread.Frames[0].Qualname);
            }
        }
        Assert.Equal(6, workers.Select(w => w.GetProperty("native_id").GetInt64()).Distinct().Count());
        Assert.Equal("main_wait", dump.Thread(target.Pid).Frames[0].Function);
    }

    [PythonTheory]
    public async Task DumpAsync_UnicodeNames_ReportsNonAsciiFunctionsQualnamesAndFile(TestPython python)
    {
        using var target = await PythonProcess.StartAsync(python, "unicode_names");

        var dump = await target.DumpAsync();

        foreach (var expected in target.Ready.GetProperty("threads").EnumerateArray())
        {
            var thread = dump.Thread(expected.GetProperty("native_id").GetInt64());
            var top = thread.Frames[0];
            Assert.Equal(expected.GetProperty("function").GetString(), top.Function);
            Assert.Equal(expected.GetProperty("file").GetString(), top.File);
            if (python.IsAtLeast(3, 11))
            {
                Assert.Equal(expected.GetProperty("qualname").GetString(), top.Qualname);
            }
        }
        Assert.Equal("функция", dump.Thread(target.Pid).Frames[0].Function);
        Assert.Equal("sleeper_ñame", dump.Named("sleeper").Frames[0].Function);
        Assert.EndsWith("unicode_\U0001F600.py", dump.Named("emoji").Frames[0].File, StringComparison.Ordinal);
    }

    [PythonTheory]
    public async Task DumpAsync_GeneratorsAsyncio_ShowsGeneratorChainAndCoroutine(TestPython python)
    {
        using var target = await PythonProcess.StartAsync(python, "generators_asyncio");
        var asyncioThread = target.Ready.GetProperty("asyncio_native_id").GetInt64();

        IReadOnlyList<string>? chain = null;
        var sawCrunch = false;
        for (var i = 0; i < MaxDumps && (chain is null || !sawCrunch); i++)
        {
            var dump = await target.DumpAsync();
            var main = dump.Thread(target.Pid).Functions;
            if (main[0] == "produce")
            {
                chain = main;
            }
            sawCrunch |= dump.Thread(asyncioThread).Functions.Contains("crunch");
        }

        Assert.NotNull(chain);
        Assert.Equal(["produce", "transform", "consume", "main", "<module>"], chain);
        Assert.True(sawCrunch, $"no dump in {MaxDumps} showed the coroutine 'crunch' on the asyncio thread");
    }

    [PythonTheory]
    public async Task WaitForExitAsync_ExitsSoon_ExitsCleanlyAfterRunningHot(TestPython python)
    {
        using var target = await PythonProcess.StartAsync(python, "exits_soon", ["--seconds", "1.5"]);

        var top = (await target.DumpAsync()).Thread(target.Pid).Frames[0].Function;
        var exitCode = await target.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("burn_until_exit", top);
        Assert.Equal(0, exitCode);
    }

    [PythonTheory]
    public async Task StartAsync_ZombieChild_ChildStaysZombieOfRunningParent(TestPython python)
    {
        using var target = await PythonProcess.StartAsync(python, "zombie_child");
        var child = target.Ready.GetProperty("child_pid").GetInt32();

        var stat = await File.ReadAllTextAsync($"/proc/{child.ToString(CultureInfo.InvariantCulture)}/stat");
        var afterName = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var main = (await target.DumpAsync()).Thread(target.Pid);

        Assert.Equal("Z", afterName[0]);
        Assert.Equal(target.Pid, int.Parse(afterName[1], CultureInfo.InvariantCulture));
        Assert.Equal("parent_spin", main.Frames[0].Function);
        Assert.Equal("Z", (await target.SendAsync("child")).GetProperty("state").GetString());
    }

    [PythonTheory]
    public async Task StartAsync_ScriptThatFails_ThrowsWithItsStderr(TestPython python)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => PythonProcess.StartAsync(python, "deep_recursion", ["--depth", "0"]));

        Assert.Contains("--depth must be between 1 and 5000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ScriptPath_UnknownScript_ThrowsNamingPath()
    {
        var error = Assert.Throws<FileNotFoundException>(() => PythonProcess.ScriptPath("no_such_script"));

        Assert.Contains("no_such_script.py", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hot_functions.py")]
    [InlineData("../hot_functions")]
    public void ScriptPath_NameWithExtensionOrFolder_Throws(string name)
    {
        Assert.Throws<ArgumentException>(() => PythonProcess.ScriptPath(name));
    }

    [Fact]
    public void ScriptPath_KnownScript_IsInOutputScriptsFolder()
    {
        Assert.True(File.Exists(PythonProcess.ScriptPath("hot_functions")));
        Assert.True(File.Exists(PythonProcess.ScriptPath("unicode_\U0001F600")));
    }
}
