using System.Globalization;

namespace Pyrometer.EndToEnd.Tests.Support;

/// <summary>The demo pod's gunicorn tree, seen from inside its container (the PID namespace the agent shares).</summary>
internal static class DemoPod
{
    public const string HotFunction = "normalise_text";

    private const string Python = "/usr/bin/python3.11";

    /// <summary>The gunicorn master is PID 1; its children are the uvicorn workers.</summary>
    public static async Task<IReadOnlySet<int>> WorkerPidsAsync(Kubectl kubectl, string pod)
    {
        var output = await kubectl.ExecAsync(pod, "app", Python, "-c", "print(open('/proc/1/task/1/children').read())");
        return output.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => int.Parse(p, CultureInfo.InvariantCulture))
            .ToHashSet();
    }

    public static Task KillAsync(Kubectl kubectl, string pod, int pid) =>
        kubectl.ExecAsync(pod, "app", Python, "-c", $"import os, signal; os.kill({pid}, signal.SIGKILL)");
}
