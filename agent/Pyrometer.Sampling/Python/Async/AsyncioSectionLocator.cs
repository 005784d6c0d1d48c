using Pyrometer.Sampling.Elf;
using Pyrometer.Sampling.Memory;
using Pyrometer.Sampling.Target;

namespace Pyrometer.Sampling.Python.Async;

/// <summary>
/// Finds the <c>AsyncioDebug</c> section of a 3.14+ target and reads its table. The section belongs to
/// the <c>_asyncio</c> module: inside the interpreter's own binary where the module is built in
/// (Debian's 3.15), else in its <c>lib-dynload/_asyncio.*.so</c>, which is mapped only once the
/// target imported asyncio — so a miss now may be a hit later.
/// </summary>
internal static class AsyncioSectionLocator
{
    public const string SectionName = ".AsyncioDebug";

    private static readonly HashSet<string> NoSymbols = [];

    /// <summary>The table, or null with why not (no asyncio loaded yet, or a table that does not add up).</summary>
    public static AsyncioDebugOffsets? Find(InterpreterLocation location, IProcessMemory memory, string procRoot, out string message)
    {
        ArgumentNullException.ThrowIfNull(location);
        message = "the target has not imported asyncio (no AsyncioDebug section is mapped)";
        ProcessMaps maps;
        try
        {
            maps = ProcessMaps.Read(location.ProcessId, procRoot);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            message = "the target's memory map cannot be read";
            return null;
        }
        foreach (var path in maps.FilePaths())
        {
            var file = Path.GetFileName(path);
            if (path != location.BinaryPath && !(file.StartsWith("_asyncio.", StringComparison.Ordinal) && file.Contains(".so", StringComparison.Ordinal)))
            {
                continue;
            }
            if (TryRead(location, memory, procRoot, maps, path, out var offsets, out var problem))
            {
                return offsets;
            }
            message = problem ?? message;
        }
        return null;
    }

    private static bool TryRead(InterpreterLocation location, IProcessMemory memory, string procRoot, ProcessMaps maps, string path,
        out AsyncioDebugOffsets? offsets, out string? problem)
    {
        offsets = null;
        problem = null;
        var regions = maps.RegionsOf(path);
        if (regions.Count == 0)
        {
            return false;
        }
        var first = regions[0];
        foreach (var region in regions)
        {
            first = region.Offset < first.Offset ? region : first;
        }
        ElfFile elf;
        try
        {
            elf = ElfFile.Open(Path.Combine(procRoot, location.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), "root") + path, NoSymbols);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ElfFormatException)
        {
            return false;                            // a file we cannot open holds nothing we can use
        }
        if (elf.FindSection(SectionName) is not { Size: >= AsyncioDebugOffsets.Length } section
            || elf.LoadBias(first.Start, first.Offset) is not { } bias)
        {
            return false;
        }
        Span<byte> table = stackalloc byte[AsyncioDebugOffsets.Length];
        if (!memory.TryRead(unchecked(section.Address + bias), table))
        {
            problem = $"the AsyncioDebug section of {path} cannot be read";
            return false;
        }
        offsets = AsyncioDebugOffsets.Parse(table, out var error);
        problem = offsets is null ? $"the AsyncioDebug section of {path} does not add up ({error})" : null;
        return offsets is not null;
    }
}
