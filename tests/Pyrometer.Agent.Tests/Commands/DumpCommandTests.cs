using System.Text.Json;
using Pyrometer.Agent.Commands;
using Pyrometer.Sampling.Sampling;
using Pyrometer.Sampling.Target;
using Pyrometer.Sampling.Tests.Live;
using Xunit.Abstractions;

namespace Pyrometer.Agent.Tests.Commands;

[Trait("Category", "Integration")]
public sealed class DumpCommandTests(ITestOutputHelper output)
{
    [PythonTheory]
    public async Task Dump_SleepingThreads_MatchesWhatTheTargetPrintsAboutItself(TestPython python)
    {
        using var target = await PythonProcess.StartAsync(python, "many_threads", ["--threads", "4", "--mode", "sleep"]);
        var oracle = await target.DumpAsync();

        var dump = DumpCommand.Dump(target.Pid, subprocesses: false, PythonProcessProbe.Create(), ProcFs.Default, out var error);

        Assert.Null(error);
        var process = Assert.Single(dump.Processes);
        Assert.Equal(python.Version, process.Python);
        foreach (var expected in oracle.Threads.Where(t => t.Name?.StartsWith("worker-", StringComparison.Ordinal) == true))
        {
            var thread = process.Threads.Single(t => t.NativeThreadId == expected.NativeId);
            Assert.Equal(expected.Frames.Select(f => (f.Function, f.File, f.Line)), thread.Frames.Select(f => (f.Function, f.File, f.Line)));
        }
    }

    [PythonTheory]
    public async Task Dump_NamedThreads_NamesExactlyAsTheScriptSetThem(TestPython python)
    {
        using var target = await PythonProcess.StartAsync(python, "many_threads", ["--threads", "4", "--mode", "mixed"]);
        var oracle = await target.DumpAsync();

        var dump = DumpCommand.Dump(target.Pid, subprocesses: false, PythonProcessProbe.Create(), ProcFs.Default, out var error);

        Assert.Null(error);
        var process = Assert.Single(dump.Processes);
        var expected = oracle.Threads.ToDictionary(t => t.NativeId, t => t.Name);
        Assert.Equal(["MainThread", "self-dump", "worker-0", "worker-1", "worker-2", "worker-3"], expected.Values.Order(StringComparer.Ordinal));
        foreach (var (nativeId, name) in expected)
        {
            // A busy thread may be named in errors instead (its stack kept changing); every listed one carries its name.
            if (process.Threads.SingleOrDefault(t => t.NativeThreadId == nativeId) is { } thread)
            {
                Assert.Equal(name, thread.Name);
            }
        }
        Assert.Contains(process.Threads, t => t.Name == "MainThread");
    }

    [PythonTheory]
    public async Task Dump_Locals_ShowsEveryLocalAsPythonReprsIt(TestPython python)
    {
        using var target = await PythonProcess.StartAsync(python, "local_vars");
        var nativeId = target.Ready.GetProperty("native_id").GetInt32();
        var expected = target.Ready.GetProperty("locals").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());

        var dump = DumpCommand.Dump(target.Pid, subprocesses: false, PythonProcessProbe.Create(), ProcFs.Default, out var error, locals: true);

        Assert.Null(error);
        var thread = Assert.Single(Assert.Single(dump.Processes).Threads, t => t.NativeThreadId == nativeId);
        Assert.Equal("locals-holder", thread.Name);
        var frame = Assert.Single(thread.Frames, f => f.Function == "inspect_me");
        Assert.Equal(target.Ready.GetProperty("line").GetInt32(), frame.Line);
        Assert.False(frame.LocalsUnavailable);
        // Declaration order: the arguments, then the locals as first assigned.
        Assert.Equal(["count", "label", "ratio", "nothing", "flag", "items", "widget", "quote", "payload", "big", "expected"], frame.Locals!.Select(l => l.Name));
        foreach (var local in frame.Locals!.Where(l => l.Name != "expected"))
        {
            Assert.Equal(expected[local.Name], local.Value);
        }
        Assert.Equal("<dict object at 0x", frame.Locals![^1].Value[..18]);
        var text = new StringWriter();
        DumpCommand.WriteText(text, dump);
        Assert.Contains("\"locals-holder\"", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("        label = 'text'", text.ToString(), StringComparison.Ordinal);
    }

    [PythonTheory]
    public async Task Dump_BusyRecursingThreadsTenTimes_EveryThreadListedOrNamedInErrors(TestPython python)
    {
        using var target = await PythonProcess.StartAsync(python, "recursion_waves", ["--threads", "4"]);
        var mainId = target.Ready.GetProperty("main_native_id").GetInt32();
        int[] expected = [mainId, .. target.Ready.GetProperty("threads").EnumerateArray().Select(t => t.GetInt32())];

        var unreadable = 0;
        for (var run = 0; run < 10; run++)
        {
            var dump = DumpCommand.Dump(target.Pid, subprocesses: false, PythonProcessProbe.Create(), ProcFs.Default, out var error);
            unreadable += dump.Errors.Count;

            Assert.Null(error);
            var process = Assert.Single(dump.Processes);
            foreach (var id in expected)
            {
                var listed = process.Threads.Any(t => t.NativeThreadId == id);
                var named = dump.Errors.Any(e => e.Contains($"thread {id} ", StringComparison.Ordinal));
                Assert.True(listed || named, $"run {run}: thread {id} is neither listed nor named in errors ({string.Join("; ", dump.Errors)}) on Python {python.Version}");
            }
            if (process.Threads.SingleOrDefault(t => t.NativeThreadId == mainId) is { } main)
            {
                Assert.Equal("<module>", main.Frames[^1].Function);   // what is listed is whole, never cut short
            }
        }
        output.WriteLine($"Python {python.Version}: {unreadable} thread(s) reported unreadable over 10 dumps of {expected.Length} busy threads");
    }

    [Fact]
    public void Dump_NoSuchProcess_ReportsProcessNotFound()
    {
        var dump = DumpCommand.Dump(999_999_999, subprocesses: false, PythonProcessProbe.Create(), ProcFs.Default, out var error);

        Assert.Empty(dump.Processes);
        Assert.Equal(TargetErrorKind.ProcessNotFound, error!.Kind);
    }

    [Fact]
    public void DumpJson_UsesCamelCaseFields()
    {
        var output = new DumpOutput([new DumpProcess(7, "python app.py", "3.12.1", [new DumpThread(1, 7, true, true, [new DumpFrame("f", "C.f", "app.py", 3)])])], []);

        var json = JsonSerializer.Serialize(output, DumpJsonContext.Default.DumpOutput);

        using var parsed = JsonDocument.Parse(json);
        var thread = parsed.RootElement.GetProperty("processes")[0].GetProperty("threads")[0];
        Assert.Equal(7, thread.GetProperty("nativeThreadId").GetInt32());
        Assert.True(thread.GetProperty("holdsGil").GetBoolean());
        Assert.Equal("C.f", thread.GetProperty("frames")[0].GetProperty("qualname").GetString());
    }
}
