using System.Collections.Concurrent;
using Pyrometer.Sampling.Elf;

namespace Pyrometer.Sampling.Target;

/// <summary>
/// Parsed ELF files by identity, so discovering a forked child (or the same image in many processes)
/// does not parse libpython again. The identity is the mapped path plus the device and inode the
/// kernel reports in the maps, plus device, inode, size and modification time of the file as opened:
/// a file replaced in place gets a new entry. The file is opened once and described by its open
/// descriptor (see <see cref="RegularFile"/>): checking a path and then opening it again would let a
/// target swap the file in between and have it cached under the other file's identity.
/// </summary>
internal sealed class ElfCache
{
    // A node runs a handful of distinct Python builds; forget everything past this rather than grow.
    private const int MaxEntries = 64;

    private readonly ConcurrentDictionary<Key, ElfFile> _files = new();
    private long _parseCount;

    /// <summary>How many files were actually parsed (cache misses).</summary>
    public long ParseCount => Interlocked.Read(ref _parseCount);

    public int Count => _files.Count;

    /// <summary>Returns the parsed file opened at <paramref name="openPath"/>, parsing it on first use.</summary>
    /// <exception cref="ElfFormatException">Not a usable ELF file.</exception>
    /// <exception cref="IOException">It cannot be read.</exception>
    public ElfFile GetOrOpen(string openPath, string mappedPath, string device, ulong inode)
    {
        using var file = RegularFile.Open(openPath);
        var key = new Key(mappedPath, device, inode, file.Identity);
        if (_files.TryGetValue(key, out var cached))
        {
            return cached;
        }
        var parsed = ElfFile.Parse(file, openPath, InterpreterLocator.SymbolNames);
        Interlocked.Increment(ref _parseCount);
        if (_files.Count >= MaxEntries)
        {
            _files.Clear();
        }
        return _files.GetOrAdd(key, parsed);
    }

    private readonly record struct Key(string Path, string Device, ulong Inode, FileIdentity Opened);
}
