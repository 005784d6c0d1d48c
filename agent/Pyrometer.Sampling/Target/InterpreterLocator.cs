using System.Buffers.Binary;
using System.Globalization;
using Pyrometer.Sampling.Elf;
using Pyrometer.Sampling.Memory;
using Pyrometer.Sampling.Python;

namespace Pyrometer.Sampling.Target;

/// <summary>
/// Finds the CPython interpreter in a process: which ELF holds it (libpython, else the executable),
/// where <c>_PyRuntime</c> and the type objects are at run time, and which version it is.
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

    // "xdebugpy": the first 8 bytes of _Py_DebugOffsets, at the start of _PyRuntime from 3.13.
    private static readonly ulong DebugCookie = BinaryPrimitives.ReadUInt64LittleEndian("xdebugpy"u8);

    // Symbols only a Py_REF_DEBUG (debug, 'd' ABI) build exports: ≤3.11 and 3.12+ spellings.
    private static readonly string[] DebugBuildSymbols = ["_Py_RefTotal", "_Py_GetGlobalRefTotal", "_Py_NegativeRefcount"];

    // Static names of the sys.version buffer in Python/getversion.c across compilers.
    private static readonly string[] VersionTextSymbols = ["version.0", "version", "Py_GetVersion.version"];

    /// <summary>Every symbol name discovery looks up; ELF parsing keeps only these.</summary>
    public static IReadOnlySet<string> SymbolNames { get; } =
        new HashSet<string>([.. WantedSymbols, .. DebugBuildSymbols, .. VersionTextSymbols], StringComparer.Ordinal);

    // The sys.version buffer is 250 bytes (300 from 3.13); .bss of libpython is 25–300 KB. Never read more than this.
    private const int VersionBufferSize = 300;
    private const int MaxScanBytes = 8 << 20;
    private const int ScanChunk = 256 << 10;
    private const int MaxListedMappings = 12;

    private readonly ProcFs _procFs;
    private readonly ElfCache _elfCache;
    private readonly Func<int, IProcessMemory> _openMemory;

    public InterpreterLocator(ProcFs? procFs = null, ElfCache? elfCache = null, Func<int, IProcessMemory>? openMemory = null)
    {
        _procFs = procFs ?? ProcFs.Default;
        _elfCache = elfCache ?? new ElfCache();
        _openMemory = openMemory ?? (static pid => new LinuxProcessMemory(pid));
    }

    /// <summary>The cache of parsed binaries (exposed so callers can share it and tests can observe it).</summary>
    public ElfCache ElfCache => _elfCache;

    /// <summary>Locates the interpreter of process <paramref name="processId"/> (a PID in our namespace).</summary>
    public DiscoveryResult Locate(int processId)
    {
        if (processId <= 0)
        {
            return DiscoveryResult.Failed(DiscoveryErrorCode.ProcessNotFound, Invariant($"{processId} is not a valid process ID."));
        }
        if (!_procFs.Exists(processId))
        {
            return NoSuchProcess(processId);
        }

        ProcessMaps maps;
        try
        {
            maps = ProcessMaps.Read(processId, _procFs.Root);
        }
        catch (UnauthorizedAccessException)
        {
            return AccessDenied(processId);
        }
        catch (IOException)
        {
            return Exited(processId);
        }

        var stat = _procFs.TryReadStat(processId);
        if (maps.Regions.Count == 0)
        {
            // Kernel threads and zombies have no address space.
            return stat is { State: 'Z' or 'X' } or null
                ? Exited(processId)
                : DiscoveryResult.Failed(DiscoveryErrorCode.NotPython, Invariant($"Process {processId} ({stat.Command}) has no memory mappings (a kernel thread?), so it runs no Python."));
        }

        // Some kernels let a same-host root without CAP_SYS_PTRACE read maps but not memory or the exe
        // link; one probe of a mapped byte tells "not allowed" apart from "not Python" up front.
        var memory = _openMemory(processId);
        var probe = ProbeAccess(memory, maps);
        if (probe is ReadStatus.PermissionDenied)
        {
            return AccessDenied(processId);
        }
        if (probe is ReadStatus.ProcessGone)
        {
            return Exited(processId);
        }

        var candidate = ChooseBinary(processId, maps);
        if (candidate is null)
        {
            return NotPython(processId, stat, maps, "no libpython mapping, and the executable's mapping was not found");
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

    private Candidate? ChooseBinary(int processId, ProcessMaps maps)
    {
        // Prefer a libpython mapping over "the exe is python": embedders (uwsgi, PyInstaller) have other names.
        foreach (var path in maps.FilePaths())
        {
            var name = PythonBinaryName.TryParse(FileNameOf(path));
            if (name is { IsLibrary: true })
            {
                return new Candidate(path, name, IsExecutable: false);
            }
        }

        var exe = _procFs.TryReadExecutable(processId);
        if (exe is null)
        {
            return null;
        }
        exe = StripDeleted(exe);
        foreach (var path in maps.FilePaths())
        {
            if (string.Equals(path, exe, StringComparison.Ordinal))
            {
                return new Candidate(path, PythonBinaryName.TryParse(FileNameOf(path)), IsExecutable: true);
            }
        }
        return null;
    }

    private DiscoveryResult Inspect(int processId, ProcessStat? stat, ProcessMaps maps, Candidate candidate, IProcessMemory memory)
    {
        if (candidate.Name is { IsDebug: true })
        {
            return DebugBuild(processId, candidate.Path);
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

        ElfFile elf;
        try
        {
            elf = OpenBinary(processId, candidate, first);
        }
        catch (UnauthorizedAccessException) when (!candidate.IsExecutable && first.IsDeleted)
        {
            return DiscoveryResult.Failed(DiscoveryErrorCode.PermissionDenied, Invariant($"Process {processId} maps {candidate.Path}, which was replaced or removed on disk after it was loaded; the original is reachable only through /proc/{processId}/map_files, and reading that was refused (older kernels require CAP_SYS_ADMIN for it). Restart the target so it maps the current file, or run the profiler with more privilege."));
        }
        catch (UnauthorizedAccessException)
        {
            return AccessDenied(processId);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return _procFs.Exists(processId)
                ? DiscoveryResult.Failed(DiscoveryErrorCode.UnsupportedPython, Invariant($"Process {processId} maps {candidate.Path}, but it cannot be opened through /proc/{processId}/root or /proc/{processId}/exe: {e.Message}"))
                : Exited(processId);
        }
        catch (ElfFormatException e)
        {
            return candidate.IsExecutable
                ? NotPython(processId, stat, maps, Invariant($"the executable {candidate.Path} is not a readable ELF file ({e.Message})"))
                : DiscoveryResult.Failed(DiscoveryErrorCode.UnsupportedPython, Invariant($"Process {processId} maps {candidate.Path}, which cannot be parsed: {e.Message}"));
        }
        catch (IOException e)
        {
            return _procFs.Exists(processId)
                ? DiscoveryResult.Failed(DiscoveryErrorCode.UnsupportedPython, Invariant($"Process {processId}: reading {candidate.Path} failed: {e.Message}"))
                : Exited(processId);
        }

        if (elf.Machine != 62)
        {
            return DiscoveryResult.Failed(DiscoveryErrorCode.UnsupportedPython, Invariant($"Process {processId}: {candidate.Path} is built for ELF machine {elf.Machine}; this profiler reads x86-64 (62) targets only."));
        }
        foreach (var symbol in DebugBuildSymbols)
        {
            if (elf.TryGetSymbol(symbol, out _))
            {
                return DebugBuild(processId, candidate.Path);
            }
        }

        if (elf.LoadBias(first.Start, first.Offset) is not { } bias)
        {
            return DiscoveryResult.Failed(DiscoveryErrorCode.UnsupportedPython, Invariant($"Process {processId}: the mapping of {candidate.Path} at file offset 0x{first.Offset:x} matches none of its loadable segments."));
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
            return NoRuntime(processId, stat, maps, candidate);
        }

        var version = DetectVersion(processId, memory, elf, bias, symbols, candidate);
        if (version.Error is { } error)
        {
            return error;
        }
        var found = version.Version;
        if (candidate.Name is { Minor: { } minor } name && (found.Major != name.Major || found.Minor != minor))
        {
            return DiscoveryResult.Failed(DiscoveryErrorCode.UnsupportedPython, Invariant($"Process {processId}: {candidate.Path} is named for Python {name.Major}.{minor} but its memory says {found}; refusing to guess which is right."));
        }
        if (found.Major != 3)
        {
            return DiscoveryResult.Failed(DiscoveryErrorCode.UnsupportedPython, Invariant($"Process {processId} runs Python {found}; only CPython 3 is supported."));
        }

        return DiscoveryResult.Found(new InterpreterLocation(processId, found, runtime, symbols, candidate.Path)
        {
            LoadBias = bias,
            VersionSource = version.Source,
        });
    }

    private ElfFile OpenBinary(int processId, Candidate candidate, MemoryRegion first)
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

    private VersionResult DetectVersion(
        int processId, IProcessMemory memory, ElfFile elf, ulong bias, Dictionary<string, ulong> symbols, Candidate candidate)
    {
        var runtime = symbols[RuntimeSymbol];
        Span<byte> header = stackalloc byte[24];
        var status = memory.ReadExact(runtime, header);
        if (status != ReadStatus.Ok)
        {
            return new VersionResult(ReadFailed(processId, status, Invariant($"_PyRuntime at 0x{runtime:x}")));
        }

        ulong? pyVersion = null;
        if (symbols.TryGetValue(VersionSymbol, out var versionAddress))
        {
            Span<byte> value = stackalloc byte[8];
            status = memory.ReadExact(versionAddress, value);
            if (status != ReadStatus.Ok)
            {
                return new VersionResult(ReadFailed(processId, status, Invariant($"Py_Version at 0x{versionAddress:x}")));
            }
            pyVersion = BinaryPrimitives.ReadUInt64LittleEndian(value);
        }

        if (BinaryPrimitives.ReadUInt64LittleEndian(header) == DebugCookie)
        {
            var hex = BinaryPrimitives.ReadUInt64LittleEndian(header[8..]);
            var freeThreaded = BinaryPrimitives.ReadUInt64LittleEndian(header[16..]) != 0;
            var fromCookie = PythonVersion.FromHex(hex, freeThreaded);
            if (hex > uint.MaxValue || fromCookie.Major != 3)
            {
                return new VersionResult(DiscoveryResult.Failed(DiscoveryErrorCode.UnsupportedPython, Invariant($"Process {processId}: the debug offsets at _PyRuntime carry an implausible version 0x{hex:x}.")));
            }
            if (pyVersion is { } declared && declared != hex)
            {
                return new VersionResult(DiscoveryResult.Failed(DiscoveryErrorCode.UnsupportedPython, Invariant($"Process {processId}: the debug offsets say CPython {fromCookie} (0x{hex:x8}) but Py_Version says {PythonVersion.FromHex(declared)} (0x{declared:x8}); the build is inconsistent.")));
            }
            return new VersionResult(fromCookie, VersionSource.DebugOffsets);
        }

        var freeThreadedName = candidate.Name is { IsFreeThreaded: true };
        if (pyVersion is { } pv)
        {
            return pv > uint.MaxValue
                ? new VersionResult(DiscoveryResult.Failed(DiscoveryErrorCode.UnsupportedPython, Invariant($"Process {processId}: Py_Version holds an implausible value 0x{pv:x}.")))
                : new VersionResult(PythonVersion.FromHex(pv, freeThreadedName), VersionSource.PyVersionSymbol);
        }

        if (FindVersionText(memory, elf, bias, candidate.Name?.Minor) is { } fromText)
        {
            return new VersionResult(fromText with { FreeThreaded = freeThreadedName }, VersionSource.VersionText);
        }

        if (candidate.Name is { Minor: { } minor } name)
        {
            return new VersionResult(new PythonVersion(name.Major, minor, 0, PythonVersion.Final, 0, freeThreadedName), VersionSource.FileName);
        }
        return new VersionResult(DiscoveryResult.Failed(DiscoveryErrorCode.UnsupportedPython, Invariant($"Process {processId}: found _PyRuntime in {candidate.Path} but could not tell the Python version (no debug offsets, no Py_Version, no sys.version text, and the file name carries none).")));
    }

    private static PythonVersion? FindVersionText(IProcessMemory memory, ElfFile elf, ulong bias, int? minor)
    {
        // Best: the buffer's own symbol (present when .symtab survived). Else scan .bss, then .data, bounded.
        foreach (var name in VersionTextSymbols)
        {
            if (elf.TryGetSymbol(name, out var symbol) && symbol.Kind == ElfSymbol.ObjectKind)
            {
                var buffer = new byte[(int)Math.Clamp(symbol.Size, 16UL, VersionBufferSize)];
                if (memory.TryRead(unchecked(symbol.Value + bias), buffer)
                    && PythonVersionText.TryFind(buffer, minor, out var version))
                {
                    return version;
                }
            }
        }
        foreach (var sectionName in (string[])[".bss", ".data"])
        {
            if (elf.FindSection(sectionName) is not { Size: > 0 } section)
            {
                continue;
            }
            var length = (int)Math.Min(section.Size, MaxScanBytes);
            var start = unchecked(section.Address + bias);
            var buffer = new byte[Math.Min(length, ScanChunk + VersionBufferSize)];
            // Chunks overlap by one buffer's worth so a text straddling a boundary is still seen whole.
            for (var offset = 0; offset < length; offset += ScanChunk)
            {
                var count = Math.Min(buffer.Length, length - offset);
                var chunk = buffer.AsSpan(0, count);
                ReadOnlySpan<RemoteSpan> span = [new RemoteSpan(unchecked(start + (ulong)offset), count)];
                var status = memory.Read(span, chunk, out var read);
                if (status is ReadStatus.ProcessGone or ReadStatus.PermissionDenied)
                {
                    return null;
                }
                if (PythonVersionText.TryFind(chunk[..read], minor, out var version))
                {
                    return version;
                }
                if (read < count)
                {
                    break;   // the rest of the section is not mapped
                }
            }
        }
        return null;
    }

    private static DiscoveryResult NoRuntime(int processId, ProcessStat? stat, ProcessMaps maps, Candidate candidate)
    {
        if (candidate.Name is { } name && (name.IsLibrary || name.Minor is not null))
        {
            // A CPython binary without _PyRuntime: Python 2 or 3.0–3.6 (the structure arrived in 3.7).
            return DiscoveryResult.Failed(DiscoveryErrorCode.UnsupportedPython, Invariant($"Process {processId} runs {name} ({candidate.Path}), which has no _PyRuntime symbol or .PyRuntime section; CPython before 3.7 is not supported."));
        }
        return NotPython(processId, stat, maps, Invariant($"{candidate.Path} defines neither _PyRuntime nor a .PyRuntime section"));
    }

    private static DiscoveryResult NotPython(int processId, ProcessStat? stat, ProcessMaps maps, string why)
    {
        var files = maps.FilePaths();
        var listed = string.Join(", ", files.Take(MaxListedMappings));
        var more = files.Count > MaxListedMappings ? Invariant($" and {files.Count - MaxListedMappings} more") : "";
        var command = stat is null ? "" : Invariant($" ({stat.Command})");
        return DiscoveryResult.Failed(DiscoveryErrorCode.NotPython, Invariant($"Process {processId}{command} does not look like CPython: {why}. Mapped files looked at: {(files.Count == 0 ? "none" : listed + more)}."));
    }

    private DiscoveryResult AccessDenied(int processId) =>
        DiscoveryResult.Failed(DiscoveryErrorCode.PermissionDenied, AccessDiagnostics.Describe(_procFs, processId));

    private DiscoveryResult ReadFailed(int processId, ReadStatus status, string what) => status switch
    {
        ReadStatus.PermissionDenied => AccessDenied(processId),
        ReadStatus.ProcessGone => Exited(processId),
        _ => DiscoveryResult.Failed(DiscoveryErrorCode.UnsupportedPython, Invariant($"Process {processId}: could not read {what}; unsupported or corrupted Python build.")),
    };

    private static DiscoveryResult DebugBuild(int processId, string path) =>
        DiscoveryResult.Failed(DiscoveryErrorCode.UnsupportedPython, Invariant($"Process {processId} runs a debug build of CPython ({path}); its object headers differ and it is not supported. Profile a release build."));

    private static DiscoveryResult NoSuchProcess(int processId) =>
        DiscoveryResult.Failed(DiscoveryErrorCode.ProcessNotFound, Invariant($"No process {processId} in this PID namespace. If it runs in another container, the profiler must share its PID namespace (shareProcessNamespace, or an ephemeral container targeting it)."));

    private static DiscoveryResult Exited(int processId) =>
        DiscoveryResult.Failed(DiscoveryErrorCode.ProcessNotFound, Invariant($"Process {processId} exited while it was being inspected."));

    private static string StripDeleted(string path) =>
        path.EndsWith(" (deleted)", StringComparison.Ordinal) ? path[..^" (deleted)".Length] : path;

    private static string FileNameOf(string path) => path[(path.LastIndexOf('/') + 1)..];

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record Candidate(string Path, PythonBinaryName? Name, bool IsExecutable);

    private readonly record struct VersionResult(PythonVersion Version, VersionSource Source, DiscoveryResult? Error)
    {
        public VersionResult(PythonVersion version, VersionSource source)
            : this(version, source, null)
        {
        }

        public VersionResult(DiscoveryResult error)
            : this(default, default, error)
        {
        }
    }
}
