namespace Pyrometer.Sampling.Target;

/// <summary>One line of <c>/proc/PID/maps</c>: a mapped range of a process's address space.</summary>
/// <param name="Start">First address (inclusive).</param>
/// <param name="End">End address (exclusive).</param>
/// <param name="Permissions">The four permission letters, e.g. <c>r-xp</c>.</param>
/// <param name="Offset">File offset of <see cref="Start"/> (0 for anonymous mappings).</param>
/// <param name="Device">Device as <c>major:minor</c> in hex.</param>
/// <param name="Inode">Inode of the mapped file, 0 when anonymous.</param>
/// <param name="Path">File path, a pseudo-name like <c>[heap]</c>, or empty; without the <c> (deleted)</c> suffix.</param>
/// <param name="IsDeleted">The kernel marked the file <c> (deleted)</c>: replaced or removed on disk since it was mapped.</param>
internal sealed record MemoryRegion(
    ulong Start, ulong End, string Permissions, ulong Offset, string Device, ulong Inode, string Path, bool IsDeleted)
{
    public ulong Size => End - Start;

    public bool CanRead => Permissions.Length > 0 && Permissions[0] == 'r';

    public bool CanWrite => Permissions.Length > 1 && Permissions[1] == 'w';

    public bool CanExecute => Permissions.Length > 2 && Permissions[2] == 'x';

    /// <summary>Anonymous memory and the kernel's pseudo-mappings (<c>[heap]</c>, <c>[stack]</c>, <c>[vdso]</c>) have no file.</summary>
    public bool IsFile => Inode != 0 && Path.Length > 0 && Path[0] == '/';

    /// <summary>The last path segment, e.g. <c>libpython3.12.so.1.0</c>; empty when there is no path.</summary>
    public string FileName
    {
        get
        {
            var slash = Path.LastIndexOf('/');
            return slash < 0 ? Path : Path[(slash + 1)..];
        }
    }

    public bool Contains(ulong address) => address >= Start && address < End;
}
