using System.Globalization;

namespace Pyrometer.Agent.Session;

/// <summary>A process <c>--pid auto</c> or <c>--match</c> could pick, with the CPU it used.</summary>
/// <param name="RecentTicks">CPU ticks used during the measuring window.</param>
/// <param name="TotalTicks">CPU ticks used since it started (breaks ties among idle ones).</param>
internal sealed record Candidate(int Pid, int ParentPid, ulong StartTime, string Command, long RecentTicks, long TotalTicks);

/// <summary>
/// Picks the busiest of several candidate processes and says why, naming the others: the idle gunicorn
/// master or an idle sidecar is rarely what the user meant. With <c>-s</c> whole trees compete (a tree's
/// CPU is its members' sum) and the tree's root is picked, so its workers are followed.
/// </summary>
internal static class BusiestChoice
{
    private const int Listed = 3;

    public static (int Pid, string Why) Choose(IReadOnlyList<Candidate> candidates, bool trees, TimeSpan window, string chooser)
    {
        var options = Options(candidates, trees);
        var best = options
            .OrderByDescending(o => o.Recent).ThenByDescending(o => o.Total).ThenBy(o => o.Root.StartTime).ThenBy(o => o.Root.Pid)
            .First();
        var inv = CultureInfo.InvariantCulture;
        var what = trees && best.Members > 1 ? $" and its {best.Members - 1} descendant(s)" : "";
        string reason;
        if (options.Count == 1)
        {
            reason = "the only candidate";
        }
        else if (best.Recent > 0)
        {
            reason = string.Create(inv, $"the busiest, {Percent(best.Recent, window)} CPU over the last {window.TotalSeconds:0.##} s");
        }
        else
        {
            reason = best.Total > 0 ? "none used CPU just now; the one that used the most since it started" : "none used CPU; the oldest";
        }
        var others = options.Where(o => o != best).OrderByDescending(o => o.Recent).ThenBy(o => o.Root.Pid).ToList();
        var listed = string.Join(", ", others.Take(Listed).Select(o => $"PID {o.Root.Pid} ({Shortened(o.Root.Command)}) {Percent(o.Recent, window)}"));
        var more = others.Count > Listed ? string.Create(inv, $" and {others.Count - Listed} more") : "";
        var rest = others.Count == 0 ? "" : $"; not chosen: {listed}{more}";
        return (best.Root.Pid, string.Create(inv, $"{chooser} chose PID {best.Root.Pid} ({Shortened(best.Root.Command)}){what}: {reason}{rest}"));
    }

    internal static string Shortened(string command) => command.Length <= 60 ? command : command[..57] + "...";

    private static string Percent(long ticks, TimeSpan window) =>
        (window.TotalSeconds > 0 ? 100.0 * ticks / ProcessCpu.TicksPerSecond / window.TotalSeconds : 0).ToString("0", CultureInfo.InvariantCulture) + "%";

    private static List<Option> Options(IReadOnlyList<Candidate> candidates, bool trees)
    {
        if (!trees)
        {
            return [.. candidates.Select(c => new Option(c, c.RecentTicks, c.TotalTicks, 1))];
        }
        var byPid = candidates.ToDictionary(c => c.Pid);
        return [.. candidates
            .GroupBy(c => RootOf(c, byPid).Pid)
            .Select(g => new Option(byPid[g.Key], g.Sum(c => c.RecentTicks), g.Sum(c => c.TotalTicks), g.Count()))];
    }

    // The topmost ancestor inside the set; a "parent" that started later is a reused PID, not the parent.
    private static Candidate RootOf(Candidate candidate, Dictionary<int, Candidate> byPid)
    {
        var current = candidate;
        for (var hops = 0; hops < byPid.Count && byPid.TryGetValue(current.ParentPid, out var parent) && parent.StartTime <= current.StartTime; hops++)
        {
            current = parent;
        }
        return current;
    }

    private sealed record Option(Candidate Root, long Recent, long Total, int Members);
}
