using System.Buffers;
using System.Globalization;
using System.Text;

namespace Pyrometer.Sampling.Target;

/// <summary>A parsed <c>/proc/PID/maps</c>: the regions of one process, ordered by address.</summary>
internal sealed class ProcessMaps
{
    private const string DeletedSuffix = " (deleted)";

    private readonly MemoryRegion[] _regions;

    private ProcessMaps(MemoryRegion[] regions)
    {
        _regions = regions;
    }

    public IReadOnlyList<MemoryRegion> Regions => _regions;

    /// <summary>Reads <c>/proc/PID/maps</c> through <paramref name="procRoot"/> (normally <c>/proc</c>).</summary>
    /// <exception cref="UnauthorizedAccessException">Not allowed to inspect the process (ptrace access mode read).</exception>
    /// <exception cref="FileNotFoundException">No such process (also <see cref="DirectoryNotFoundException"/>).</exception>
    public static ProcessMaps Read(int processId, string procRoot = "/proc") =>
        Parse(ReadBounded(Path.Combine(procRoot, processId.ToString(CultureInfo.InvariantCulture), "maps")));

    /// <summary>
    /// Most of a maps file read. The target decides its mappings: 65 530 of them (vm.max_map_count) with
    /// 4 KiB paths would be 270 MB. Real processes stay under a few MB; lines past the cap are ignored.
    /// </summary>
    public const int MaxBytes = 32 << 20;

    private static string ReadBounded(string path)
    {
        using var handle = File.OpenHandle(path);
        // Pooled: the ELF reader that runs next at attach takes the same 64 KiB back (start-up page faults).
        var buffer = ArrayPool<byte>.Shared.Rent(64 << 10);
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length >= MaxBytes)
                    {
                        length = buffer.AsSpan(0, length).LastIndexOf((byte)'\n') + 1;   // keep whole lines only
                        break;
                    }
                    var grown = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, MaxBytes));
                    buffer.AsSpan(0, length).CopyTo(grown);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = grown;
                }
                var read = RandomAccess.Read(handle, buffer.AsSpan(length, Math.Min(buffer.Length, MaxBytes) - length), length);
                if (read == 0)
                {
                    break;
                }
                length += read;
            }
            return Encoding.UTF8.GetString(buffer, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Parses the text of a maps file.</summary>
    /// <exception cref="FormatException">A line does not have the kernel's shape; the message quotes it.</exception>
    public static ProcessMaps Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var regions = new List<MemoryRegion>();
        var lineNumber = 0;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            lineNumber++;
            if (line.IsWhiteSpace())
            {
                continue;
            }
            regions.Add(ParseLine(line, lineNumber));
        }
        var sorted = regions.ToArray();
        Array.Sort(sorted, static (a, b) => a.Start.CompareTo(b.Start));
        return new ProcessMaps(sorted);
    }

    /// <summary>The region containing <paramref name="address"/>, or null when it is unmapped.</summary>
    public MemoryRegion? Find(ulong address)
    {
        var low = 0;
        var high = _regions.Length - 1;
        while (low <= high)
        {
            var mid = low + ((high - low) / 2);
            var region = _regions[mid];
            if (address < region.Start)
            {
                high = mid - 1;
            }
            else if (address >= region.End)
            {
                low = mid + 1;
            }
            else
            {
                return region;
            }
        }
        return null;
    }

    /// <summary>Whether every byte of [address, address + length) lies in readable regions (which may be adjacent).</summary>
    public bool IsReadable(ulong address, ulong length)
    {
        if (length == 0)
        {
            return Find(address) is { CanRead: true };
        }
        if (address > ulong.MaxValue - length)
        {
            return false;   // wraps around the address space
        }
        var end = address + length;
        var cursor = address;
        while (cursor < end)
        {
            if (Find(cursor) is not { CanRead: true } region)
            {
                return false;
            }
            cursor = region.End;
        }
        return true;
    }

    /// <summary>The file-backed regions whose path is <paramref name="path"/>, in address order.</summary>
    public IReadOnlyList<MemoryRegion> RegionsOf(string path) =>
        Array.FindAll(_regions, region => string.Equals(region.Path, path, StringComparison.Ordinal));

    /// <summary>Distinct file paths mapped, in order of first appearance.</summary>
    public IReadOnlyList<string> FilePaths()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var paths = new List<string>();
        foreach (var region in _regions)
        {
            if (region.IsFile && seen.Add(region.Path))
            {
                paths.Add(region.Path);
            }
        }
        return paths;
    }

    private static MemoryRegion ParseLine(ReadOnlySpan<char> line, int lineNumber)
    {
        // start-end perms offset dev inode [path]; the path is everything after the inode's padding
        // and may itself contain spaces.
        var rest = line;
        var range = NextField(ref rest);
        var permissions = NextField(ref rest);
        var offset = NextField(ref rest);
        var device = NextField(ref rest);
        var inode = NextField(ref rest);
        var path = rest.TrimStart(' ');

        var dash = range.IndexOf('-');
        if (dash <= 0
            || !ulong.TryParse(range[..dash], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var start)
            || !ulong.TryParse(range[(dash + 1)..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var end)
            || end < start
            || permissions.Length != 4
            || !ulong.TryParse(offset, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var fileOffset)
            || device.IndexOf(':') <= 0
            || !ulong.TryParse(inode, NumberStyles.None, CultureInfo.InvariantCulture, out var inodeNumber))
        {
            throw new FormatException(string.Create(
                CultureInfo.InvariantCulture, $"maps line {lineNumber} is not 'start-end perms offset dev inode [path]': \"{line.ToString()}\""));
        }

        var deleted = path.EndsWith(DeletedSuffix, StringComparison.Ordinal);
        if (deleted)
        {
            path = path[..^DeletedSuffix.Length];
        }
        return new MemoryRegion(start, end, permissions.ToString(), fileOffset, device.ToString(), inodeNumber, path.ToString(), deleted);
    }

    private static ReadOnlySpan<char> NextField(ref ReadOnlySpan<char> rest)
    {
        rest = rest.TrimStart(' ');
        var space = rest.IndexOf(' ');
        var field = space < 0 ? rest : rest[..space];
        rest = space < 0 ? [] : rest[(space + 1)..];
        return field;
    }
}
