using System.Globalization;
using Pyrometer.Sampling.Memory;
using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Python.Async;
using Pyrometer.Sampling.Target;
using Pyrometer.Sampling.Tests.Live;
using Xunit.Abstractions;

namespace Pyrometer.Sampling.Tests.Integration;

/// <summary>
/// What reading the tasks costs as their number grows. The reader goes breadth-first, so its system
/// calls depend on the depth of the await chains, not on how many tasks there are (only the 1024-iovec
/// limit of one call splits a level): that is asserted, and so is what a steady pass costs — the fewest
/// reads of many passes over a target that does not move: a pass whose tasks stay parked reads the
/// registries, the tasks and one call per level of the chains, and takes gather children, RESUME
/// operands, names and loops from its caches. CPU times are printed beside the stack walker's
/// for the same process, never asserted.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RegistryTaskReaderCostLiveTests(ITestOutputHelper output)
{
    private const int Passes = 200;

    [PythonTheory(MinVersion = "3.8")]
    public async Task ReadTasks_TenToThousandTasks_CallsDoNotGrowWithTheTaskCount(TestPython python)
    {
        var calls = new Dictionary<int, long>();
        var steady = long.MaxValue;
        foreach (var extra in new[] { 10, 100, 1000 })
        {
            using var process = await PythonProcess.StartAsync(python, "async_registry_tasks", ["--extra", extra.ToString(CultureInfo.InvariantCulture)]);
            var located = new InterpreterLocator().Locate(process.Pid);
            Assert.True(located.IsSuccess, located.Error?.Message);
            var memory = new LinuxProcessMemory(process.Pid);
            var layout = LayoutResolver.Resolve(memory, located.Location, out var error);
            Assert.True(layout is not null, error);
            var reader = RegistryTaskReader.TryCreate(memory, layout, located.Location);
            if (reader is null)
            {
                Assert.True(python.IsAtLeast(3, 14), $"no reader for {python.Version}");
                return;
            }
            var walker = new StackWalker(memory, located.Location, layout);
            var expected = process.Ready.GetProperty("tasks").GetArrayLength();

            var tasks = new List<AsyncTask>();
            for (var warm = 0; warm < 3; warm++)
            {
                tasks.Clear();
                Assert.Equal(SampleError.None, reader.ReadTasks(tasks));
                walker.Sample();
            }
            Assert.Equal(expected, tasks.Count);
            Assert.Equal(extra, tasks.Count(t => t.Name.StartsWith("extra-", StringComparison.Ordinal) && t.Frames.Count == 4));
            calls[extra] = reader.LastCalls;

            // CPU time (ours, user and system: the copies are done by the kernel on our account), not wall time.
            var cpu = Environment.CpuUsage.TotalTime;
            for (var i = 0; i < Passes; i++)
            {
                tasks.Clear();
                reader.ReadTasks(tasks);
                steady = Math.Min(steady, reader.LastCalls);
            }
            var readerMicros = (Environment.CpuUsage.TotalTime - cpu).TotalMicroseconds / Passes;
            cpu = Environment.CpuUsage.TotalTime;
            for (var i = 0; i < Passes; i++)
            {
                walker.Sample();
            }
            var walkerMicros = (Environment.CpuUsage.TotalTime - cpu).TotalMicroseconds / Passes;
            output.WriteLine($"Python {python.Version}: {tasks.Count} tasks: {reader.LastCalls} reads (steady {steady}), {readerMicros:0} µs CPU per pass; stack walk {walker.LastSampleCalls} reads, {walkerMicros:0} µs");
        }
        Assert.True(calls[1000] <= 2 * calls[10], $"{calls[10]} reads for 10 tasks but {calls[1000]} for 1000");
        // The chains are 6 coroutines deep at most (the leaf is a Future): 3.11+ read a level in one call, 3.8–3.10 in two.
        var most = python.IsAtLeast(3, 11) ? 18 : 24;
        Assert.True(steady <= most, $"a steady pass made {steady} reads (at most {most} expected)");
    }
}
