using System.Globalization;
using Pyrometer.Sampling.Target;

namespace Pyrometer.Sampling.Sampling;

/// <summary>
/// <see cref="IProcessTable"/> over /proc. Children come from <c>/proc/PID/task/TID/children</c>
/// (cheap: proportional to the tree, not to the machine); where the kernel lacks that file the
/// whole process table is read instead. Zombies count as gone: they run no code.
/// </summary>
internal sealed class ProcProcessTable(ProcFs procFs) : IProcessTable
{
    // Fields after comm's closing ')': state is the first, starttime (field 22) the twentieth.
    private const int StartTimeField = 19;

    private readonly ProcFileReader _reader = new();
    private bool? _hasChildrenFiles;

    public bool TryGetStartTime(int pid, out ulong startTime)
    {
        startTime = 0;
        var path = string.Create(CultureInfo.InvariantCulture, $"{procFs.Root}/{pid}/stat");
        return _reader.TryRead(path, out var stat) && TryParseStat(stat, out var state, out startTime) && state is not ((byte)'Z' or (byte)'X');
    }

    public string? ExecutablePath(int pid) => procFs.TryReadExecutable(pid);

    public IReadOnlyList<int> ChildrenOf(int pid)
    {
        _hasChildrenFiles ??= File.Exists($"{procFs.Root}/self/task/{Environment.ProcessId}/children");
        return _hasChildrenFiles.Value ? FromChildrenFiles(pid) : FromProcessTable(pid);
    }

    /// <summary>State and start time from a stat line, without decoding it (a tree scan reads one per process, ten times a second).</summary>
    internal static bool TryParseStat(ReadOnlySpan<byte> stat, out byte state, out ulong startTime)
    {
        state = 0;
        startTime = 0;
        var close = stat.LastIndexOf((byte)')');   // comm may itself hold ')' and spaces
        if (close < 0)
        {
            return false;
        }
        var rest = stat[(close + 1)..];
        for (var field = 0; ; field++)
        {
            rest = rest.TrimStart((byte)' ');
            var end = rest.IndexOfAny((byte)' ', (byte)'\n');
            var token = end < 0 ? rest : rest[..end];
            if (token.IsEmpty)
            {
                return false;
            }
            if (field == 0)
            {
                if (token.Length != 1)
                {
                    return false;
                }
                state = token[0];
            }
            else if (field == StartTimeField)
            {
                return ulong.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out startTime);
            }
            if (end < 0)
            {
                return false;
            }
            rest = rest[end..];
        }
    }

    private List<int> FromChildrenFiles(int pid)
    {
        var children = new List<int>();
        string[] tasks;
        try
        {
            tasks = Directory.GetDirectories(Path.Combine(procFs.ProcessDirectory(pid), "task"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return children;
        }
        foreach (var task in tasks)
        {
            if (!_reader.TryRead(task + "/children", out var text))
            {
                continue;   // the thread exited meanwhile
            }
            foreach (var range in text.Split((byte)' '))
            {
                var token = text[range].Trim((byte)'\n');
                if (!token.IsEmpty && int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var child))
                {
                    children.Add(child);
                }
            }
        }
        return children;
    }

    private List<int> FromProcessTable(int pid) =>
        procFs.ReadProcessTable().Where(p => p.ParentProcessId == pid).Select(p => p.ProcessId).ToList();
}
