using System.Globalization;

namespace Pyrometer.Sampling.Target;

/// <summary>The fields we use from <c>/proc/PID/stat</c> (or <c>/proc/PID/task/TID/stat</c>).</summary>
/// <param name="ProcessId">Field 1: the PID (or TID).</param>
/// <param name="Command">Field 2, <c>comm</c>, without its parentheses; may contain spaces and ')'.</param>
/// <param name="State">Field 3: R running, S sleeping, D disk wait, Z zombie, T stopped, t traced, X dead, I idle.</param>
/// <param name="ParentProcessId">Field 4.</param>
/// <param name="StartTime">Field 22: start time in clock ticks after boot.</param>
internal sealed record ProcessStat(int ProcessId, string Command, char State, int ParentProcessId, ulong StartTime)
{
    // Fields after comm: state is field 3, ppid 4, starttime 22, i.e. index 0, 1 and 19 after the last ')'.
    private const int StartTimeIndex = 19;

    public ProcessKey Key => new(ProcessId, StartTime);

    /// <summary>Running or runnable (R): on a CPU or waiting for one.</summary>
    public bool IsRunning => State == 'R';

    /// <summary>Parses one stat line.</summary>
    /// <exception cref="FormatException">The text does not have the kernel's shape; the message quotes it.</exception>
    public static ProcessStat Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // comm is whatever the process named itself (up to 15 bytes), so it may hold ") (" or spaces:
        // the pid precedes the FIRST '(' and the remaining fields follow the LAST ')'.
        var open = text.IndexOf('(', StringComparison.Ordinal);
        var close = text.LastIndexOf(')');
        if (open <= 0 || close < open)
        {
            throw Bad(text, "no '(comm)' field");
        }
        if (!int.TryParse(text.AsSpan(0, open).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            throw Bad(text, "the pid is not a number");
        }
        var command = text[(open + 1)..close];
        var fields = text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (fields.Length <= StartTimeIndex)
        {
            throw Bad(text, "fewer than 22 fields");
        }
        if (fields[0].Length != 1)
        {
            throw Bad(text, "the state is not one letter");
        }
        if (!int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ppid))
        {
            throw Bad(text, "the parent pid is not a number");
        }
        if (!ulong.TryParse(fields[StartTimeIndex], NumberStyles.None, CultureInfo.InvariantCulture, out var startTime))
        {
            throw Bad(text, "the start time is not a number");
        }
        return new ProcessStat(pid, command, fields[0][0], ppid, startTime);
    }

    private static FormatException Bad(string text, string why) =>
        new($"/proc stat line is malformed ({why}): \"{(text.Length > 200 ? text[..200] + "…" : text).TrimEnd()}\"");
}
