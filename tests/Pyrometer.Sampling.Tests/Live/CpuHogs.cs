using System.Diagnostics;

namespace Pyrometer.Sampling.Tests.Live;

/// <summary>
/// Shell busy loops that keep CPUs occupied beside a target, so the machine is oversubscribed by
/// construction whatever else runs on it. Optionally pinned to CPUs with taskset. Killed on dispose.
/// </summary>
public sealed class CpuHogs : IDisposable
{
    public const string Shell = "/bin/sh";
    public const string TaskSet = "/usr/bin/taskset";

    private readonly List<Process> _processes = [];

    private CpuHogs()
    {
    }

    public IReadOnlyList<int> ProcessIds => [.. _processes.Select(p => p.Id)];

    /// <summary>Starts <paramref name="count"/> loops; with <paramref name="cpuList"/> (e.g. "0") all run on those CPUs only.</summary>
    public static CpuHogs Start(int count, string? cpuList = null)
    {
        var hogs = new CpuHogs();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var info = new ProcessStartInfo(cpuList is null ? Shell : TaskSet) { UseShellExecute = false };
                if (cpuList is not null)
                {
                    info.ArgumentList.Add("-c");
                    info.ArgumentList.Add(cpuList);
                    info.ArgumentList.Add(Shell);
                }
                info.ArgumentList.Add("-c");
                info.ArgumentList.Add("while :; do :; done");
                hogs._processes.Add(Process.Start(info) ?? throw new InvalidOperationException($"could not start {info.FileName}"));
            }
            return hogs;
        }
        catch
        {
            hogs.Dispose();
            throw;
        }
    }

    /// <summary>Restricts every thread of a running process to <paramref name="cpuList"/> (taskset -a -p).</summary>
    public static void Pin(int pid, string cpuList)
    {
        using var taskset = Process.Start(new ProcessStartInfo(TaskSet, ["-a", "-p", "-c", cpuList, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
        }) ?? throw new InvalidOperationException($"could not start {TaskSet}");
        taskset.StandardOutput.ReadToEnd();
        taskset.WaitForExit();
        if (taskset.ExitCode != 0)
        {
            throw new InvalidOperationException($"{TaskSet} could not pin process {pid} to CPUs {cpuList}");
        }
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            try
            {
                process.Kill();
                process.WaitForExit(TimeSpan.FromSeconds(5));
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
            process.Dispose();
        }
        _processes.Clear();
    }
}
