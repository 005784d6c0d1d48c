using System.Globalization;
using System.Text.RegularExpressions;
using Pyrometer.Agent.Contracts;
using Pyrometer.Sampling.Tests.Live;

namespace Pyrometer.Agent.Tests.Integration;

/// <summary>
/// <c>pyrometer record</c> from the host against an interpreter in its own PID namespace, as a container
/// is profiled from its node (issue #13, bug 4).
/// </summary>
[Trait("Category", "Integration")]
public sealed class PidNamespaceLiveTests
{
    [PidNamespaceFact]
    public async Task Record_CpuModeTargetInAnotherPidNamespace_SamplesItAndNamesThreadsByTheirOwnIds()
    {
        foreach (var python in TestPythons.Available.Where(p => p.IsAtLeast(3, 8)))
        {
            using var target = await PythonProcess.StartAsync(python, "hot_functions", launcher: [PidNamespaceFactAttribute.Unshare, "-p", "-f", "--mount-proc"]);
            using var run = new AgentRun();

            var exit = await run.RecordAsync("--pid", target.Pid.ToString(CultureInfo.InvariantCulture), "--mode", "cpu", "--threads",
                "--duration", "2", "--rate", "1000", "--format", "folded");

            Assert.Equal(0, exit);
            var result = run.Result();
            Assert.True(result.Status == ResultStatus.Ok && result.Samples >= 20, $"Python {python.Version}: {result.Status}, {result.Samples} samples");
            var folded = await File.ReadAllTextAsync(run.Artifact(".folded"));
            // Thread frames carry the id the thread has in its own namespace: what threading.get_native_id() says
            // there, then the thread's name when it could be read ("thread 1 MainThread").
            var mainId = target.Ready.GetProperty("main_native_id").GetInt64();
            Assert.Matches(new Regex($"(^|;)thread {mainId.ToString(CultureInfo.InvariantCulture)}( [^;]*)?;", RegexOptions.Multiline), folded);
            Assert.Contains("hot_a", folded, StringComparison.Ordinal);
        }
    }
}
