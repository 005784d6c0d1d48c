using System.Diagnostics;
using System.Globalization;
using Pyrometer.Sampling.Tests.Live;

namespace Pyrometer.Agent.Tests.Integration;

/// <summary>
/// CPython 3.15's own sampling profiler (<c>python3.15 -m profiling.sampling</c>) in its async-aware mode:
/// the interpreter of the test pythons that has it, found once.
/// </summary>
internal static class CPythonSampler
{
    private static readonly Lazy<(TestPython? Python, string? Missing)> Found = new(Find);

    /// <summary>The newest test interpreter whose <c>profiling.sampling attach</c> knows <c>--async-aware</c>, or null.</summary>
    public static TestPython? Python => Found.Value.Python;

    /// <summary>Why there is none, or null.</summary>
    public static string? Missing => Found.Value.Missing;

    /// <summary>
    /// The arguments that record every task of <paramref name="pid"/> (waiting ones too) as collapsed
    /// stacks: root first, <c>tid:N;&lt;task&gt;:NAME:0;file:function:line;… COUNT</c>.
    /// </summary>
    public static string[] RecordArguments(int pid, int seconds, int rate, string output) =>
        ["-m", "profiling.sampling", "attach", "--async-aware", "--async-mode", "all", "-r", rate.ToString(CultureInfo.InvariantCulture),
            "-d", seconds.ToString(CultureInfo.InvariantCulture), "--collapsed", "-o", output, pid.ToString(CultureInfo.InvariantCulture)];

    private static (TestPython?, string?) Find()
    {
        var candidates = TestPythons.Available.Where(p => p.IsAtLeast(3, 15)).OrderByDescending(p => p.MajorMinor).ToList();
        if (candidates.Count == 0)
        {
            return (null, "no CPython 3.15 or later among the test interpreters: its own async-aware sampler is what this compares with");
        }
        foreach (var python in candidates)
        {
            if (HelpOf(python).Contains("--async-aware", StringComparison.Ordinal))
            {
                return (python, null);
            }
        }
        return (null, $"CPython {candidates[0].Version} has no 'python -m profiling.sampling attach --async-aware'");
    }

    private static string HelpOf(TestPython python)
    {
        var info = new ProcessStartInfo(python.Path) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in (string[])["-m", "profiling.sampling", "attach", "--help"])
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info);
        if (process is null)
        {
            return "";
        }
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : "";
    }
}
