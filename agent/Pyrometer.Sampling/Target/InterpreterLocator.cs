using System.Globalization;
using Pyrometer.Sampling.Elf;
using Pyrometer.Sampling.Memory;
using Pyrometer.Sampling.Python;

namespace Pyrometer.Sampling.Target;

/// <summary>
/// Finds the CPython interpreter in a process: which ELF holds it (libpython, else the executable,
/// see <see cref="InterpreterCandidate"/>), where <c>_PyRuntime</c> and the type objects are at run
/// time, and which version it is (<see cref="InterpreterVersionReader"/>).
/// Cheap to call again for a forked child: parsed ELF files are cached.
/// </summary>
internal sealed class InterpreterLocator
{
    public const string RuntimeSymbol = "_PyRuntime";
    public const string RuntimeSection = ".PyRuntime";
    public const string VersionSymbol = "Py_Version";

    /// <summary>Symbols resolved to run-time addresses when the binary defines them.</summary>
    public static readonly IReadOnlyList<string> WantedSymbols =
    [
        RuntimeSymbol, VersionSymbol, "PyCode_Type", "PyUnicode_Type", "PyBytes_Type",
        "PyGen_Type", "PyCoro_Type", "PyFrame_Type",
    ];

    // Symbols only a Py_REF_DEBUG (debug, 'd' ABI) build exports: ≤3.11 and 3.12+ spellings.
    private static readonly string[] DebugBuildSymbols = ["_Py_RefTotal", "_Py_GetGlobalRefTotal", "_Py_NegativeRefcount"];

    /// <summary>Every symbol name discovery looks up; ELF parsing keeps only these.</summary>
    public static IReadOnlySet<string> SymbolNames { get; } =
        new HashSet<string>([.. WantedSymbols, .. DebugBuildSymbols, .. InterpreterVersionReader.VersionTextSymbols], StringComparer.Ordinal);

    private readonly ProcFs _procFs;
    private readonly ElfCache _elfCache;
    private readonly Func<int, IProcessMemory> _openMemory;
    private readonly DiscoveryFailures _failures;

    public InterpreterLocator(ProcFs? procFs = null, ElfCache? elfCache = null, Func<int, IProcessMemory>? openMemory = null)
    {
        _procFs = procFs ?? ProcFs.Default;
        _elfCache = elfCache ?? new ElfCache();
        _openMemory = openMemory ?? (static pid => new LinuxProcessMemory(pid));
        _failures = new DiscoveryFailures(_procFs);
    }

    /// <summary>The cache of parsed binaries (exposed so callers can share it and tests can observe it).</summary>
    public ElfCache ElfCache => _elfCache;

    /// <summary>Locates the interpreter of process <paramref name="processId"/> (a PID in our namespace).</summary>
    public DiscoveryResult Locate(int processId)
    {
        if (processId <= 0)
        {
            return DiscoveryResult.Failed(TargetErrorKind.ProcessNotFound, Invariant($"{processId} is not a valid process ID."));
        }
        if (!_procFs.Exists(processId))
        {
            return DiscoveryFailures.NoSuchProcess(processId);
        }

        ProcessMaps maps;
        try
        {
            maps = ProcessMaps.Read(processId, _procFs.Root);
        }
        catch (UnauthorizedAccessException)
        {
            return _failures.AccessDenied(processId);
        }
        catch (IOException)
        {
            return DiscoveryFailures.Exited(processId);
        }

        var stat = _procFs.TryReadStat(processId);
        if (maps.Regions.Count == 0)
        {
            // Kernel threads and zombies have no address space.
            return stat is { State: 'Z' or 'X' } or null
                ? DiscoveryFailures.Exited(processId)
                : DiscoveryResult.Failed(TargetErrorKind.NotPython, Invariant($"Process {processId} ({stat.Command}) has no memory mappings (a kernel thread?), so it runs no Python."));
        }

        // Some kernels let a same-host root without CAP_SYS_PTRACE read maps but not memory or the exe
        // link; one probe of a mapped byte tells "not allowed" apart from "not Python" up front.
        var memory = _openMemory(processId);
        var probe = ProbeAccess(memory, maps);
        if (probe is ReadStatus.PermissionDenied)
        {
            return _failures.AccessDenied(processId);
        }
        if (probe is ReadStatus.ProcessGone)
        {
            return DiscoveryFailures.Exited(processId);
        }

        var candidate = InterpreterCandidate.Choose(_procFs, processId, maps);
        if (candidate is null)
        {
            return DiscoveryFailures.NotPython(processId, stat, maps, "no libpython mapping, and the executable's mapping was not found");
        }
        return Inspect(processId, stat, maps, candidate, memory);
    }

    private static ReadStatus ProbeAccess(IProcessMemory memory, ProcessMaps maps)
    {
        foreach (var region in maps.Regions)
        {
            if (region.CanRead && region.IsFile)
            {
                Span<byte> one = stackalloc byte[1];
                return memory.ReadExact(region.Start, one);
            }
        }
        return ReadStatus.Ok;
    }

    private DiscoveryResult Inspect(int processId, ProcessStat? stat, ProcessMaps maps, InterpreterCandidate candidate, IProcessMemory memory)
    {
        if (candidate.Name is { IsDebug: true })
        {
            return DiscoveryFailures.DebugBuild(processId, candidate.Path);
        }

        var regions = maps.RegionsOf(candidate.Path);
        var first = regions[0];
        foreach (var region in regions)
        {
            if (region.Offset < first.Offset)
            {
                first = region;
            }
        }

        if (TryOpenBinary(processId, stat, maps, candidate, first, out var elf) is { } openFailed)
        {
            return openFailed;
        }
        if (elf.Machine != 62)
        {
            return DiscoveryFailures.Unsupported($"Process {processId}: {candidate.Path} is built for ELF machine {elf.Machine}; this profiler reads x86-64 (62) targets only.");
        }
        foreach (var symbol in DebugBuildSymbols)
        {
            if (elf.TryGetSymbol(symbol, out _))
            {
                return DiscoveryFailures.DebugBuild(processId, candidate.Path);
            }
        }

        if (elf.LoadBias(first.Start, first.Offset) is not { } bias)
        {
            return DiscoveryFailures.Unsupported($"Process {processId}: the mapping of {candidate.Path} at file offset 0x{first.Offset:x} matches none of its loadable segments.");
        }

        var symbols = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var wanted in WantedSymbols)
        {
            if (elf.SymbolAddress(wanted) is { } address)
            {
                symbols[wanted] = unchecked(address + bias);
            }
        }
        if (!symbols.ContainsKey(RuntimeSymbol) && elf.FindSection(RuntimeSection) is { } section)
        {
            symbols[RuntimeSymbol] = unchecked(section.Address + bias);   // 3.10+: the section holds only _PyRuntime
        }
        if (!symbols.TryGetValue(RuntimeSymbol, out var runtime))
        {
            return DiscoveryFailures.NoRuntime(processId, stat, maps, candidate);
        }

        var version = InterpreterVersionReader.Read(processId, memory, elf, bias, symbols, candidate, _failures);
        if (version.Error is { } error)
        {
            return error;
        }
        var found = version.Version;
        if (candidate.Name is { Minor: { } minor } name && (found.Major != name.Major || found.Minor != minor))
        {
            return DiscoveryFailures.Unsupported($"Process {processId}: {candidate.Path} is named for Python {name.Major}.{minor} but its memory says {found}; refusing to guess which is right.");
        }
        if (found.Major != 3)
        {
            return DiscoveryFailures.Unsupported($"Process {processId} runs Python {found}; only CPython 3 is supported.");
        }

        return DiscoveryResult.Found(new InterpreterLocation(processId, found, runtime, symbols, candidate.Path)
        {
            LoadBias = bias,
            VersionSource = version.Source,
        });
    }

    /// <summary>Opens (or finds cached) the candidate's ELF file; returns the failure to report when that fails.</summary>
    private DiscoveryResult? TryOpenBinary(int processId, ProcessStat? stat, ProcessMaps maps, InterpreterCandidate candidate, MemoryRegion first, out ElfFile elf)
    {
        elf = null!;
        try
        {
            elf = OpenBinary(processId, candidate, first);
            return null;
        }
        catch (UnauthorizedAccessException) when (!candidate.IsExecutable && first.IsDeleted)
        {
            return DiscoveryResult.Failed(TargetErrorKind.PermissionDenied, Invariant($"Process {processId} maps {candidate.Path}, which was replaced or removed on disk after it was loaded; the original is reachable only through /proc/{processId}/map_files, and reading that was refused (older kernels require CAP_SYS_ADMIN for it). Restart the target so it maps the current file, or run the profiler with more privilege."));
        }
        catch (UnauthorizedAccessException)
        {
            return _failures.AccessDenied(processId);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return _procFs.Exists(processId)
                ? DiscoveryFailures.Unsupported($"Process {processId} maps {candidate.Path}, but it cannot be opened through /proc/{processId}/root or /proc/{processId}/exe: {e.Message}")
                : DiscoveryFailures.Exited(processId);
        }
        catch (ElfFormatException e)
        {
            return candidate.IsExecutable
                ? DiscoveryFailures.NotPython(processId, stat, maps, Invariant($"the executable {candidate.Path} is not a readable ELF file ({e.Message})"))
                : DiscoveryFailures.Unsupported($"Process {processId} maps {candidate.Path}, which cannot be parsed: {e.Message}");
        }
        catch (IOException e)
        {
            return _procFs.Exists(processId)
                ? DiscoveryFailures.Unsupported($"Process {processId}: reading {candidate.Path} failed: {e.Message}")
                : DiscoveryFailures.Exited(processId);
        }
    }

    private ElfFile OpenBinary(int processId, InterpreterCandidate candidate, MemoryRegion first)
    {
        // /proc/PID/exe reaches the executable across mount namespaces even when deleted; anything else is
        // opened through the target's root so a sidecar sharing only the PID namespace sees its files.
        var procDirectory = _procFs.ProcessDirectory(processId);
        var openPath = candidate.IsExecutable
            ? Path.Combine(procDirectory, "exe")
            : Path.Combine(procDirectory, "root") + candidate.Path;
        if (!candidate.IsExecutable && first.IsDeleted)
        {
            // The file on disk was replaced; only map_files still reaches the mapped inode (may need more privilege).
            openPath = Path.Combine(procDirectory, "map_files", Invariant($"{first.Start:x}-{first.End:x}"));
        }
        return _elfCache.GetOrOpen(openPath, candidate.Path, first.Device, first.Inode);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
