using System.Buffers.Binary;
using System.Globalization;
using Pyrometer.Sampling.Elf;
using Pyrometer.Sampling.Memory;
using Pyrometer.Sampling.Python;

namespace Pyrometer.Sampling.Target;

/// <summary>
/// Tells which CPython version a located interpreter is, trusting in this order: the debug offsets
/// at the start of <c>_PyRuntime</c> (3.13+), the <c>Py_Version</c> symbol (3.11+), the
/// <c>sys.version</c> text in the interpreter's memory, and last the file name.
/// </summary>
internal static class InterpreterVersionReader
{
    // "xdebugpy": the first 8 bytes of _Py_DebugOffsets, at the start of _PyRuntime from 3.13.
    private static readonly ulong DebugCookie = BinaryPrimitives.ReadUInt64LittleEndian("xdebugpy"u8);

    // The sys.version buffer is 250 bytes (300 from 3.13); .bss of libpython is 25–300 KB. Never read more than this.
    private const int VersionBufferSize = 300;
    private const int MaxScanBytes = 8 << 20;
    private const int ScanChunk = 256 << 10;

    /// <summary>Static names of the sys.version buffer in Python/getversion.c across compilers.</summary>
    public static IReadOnlyList<string> VersionTextSymbols { get; } = ["version.0", "version", "Py_GetVersion.version"];

    /// <summary>
    /// The version, or the failure to report. <paramref name="symbols"/> holds run-time addresses
    /// and must contain <see cref="InterpreterLocator.RuntimeSymbol"/>.
    /// </summary>
    public static Result Read(
        int processId, IProcessMemory memory, ElfFile elf, ulong bias, IReadOnlyDictionary<string, ulong> symbols,
        InterpreterCandidate candidate, DiscoveryFailures failures)
    {
        var runtime = symbols[InterpreterLocator.RuntimeSymbol];
        Span<byte> header = stackalloc byte[24];
        var status = memory.ReadExact(runtime, header);
        if (status != ReadStatus.Ok)
        {
            return new Result(failures.ReadFailed(processId, status, string.Create(CultureInfo.InvariantCulture, $"_PyRuntime at 0x{runtime:x}")));
        }

        ulong? pyVersion = null;
        if (symbols.TryGetValue(InterpreterLocator.VersionSymbol, out var versionAddress))
        {
            Span<byte> value = stackalloc byte[8];
            status = memory.ReadExact(versionAddress, value);
            if (status != ReadStatus.Ok)
            {
                return new Result(failures.ReadFailed(processId, status, string.Create(CultureInfo.InvariantCulture, $"Py_Version at 0x{versionAddress:x}")));
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
                return new Result(DiscoveryFailures.Unsupported($"Process {processId}: the debug offsets at _PyRuntime carry an implausible version 0x{hex:x}."));
            }
            if (pyVersion is { } declared && declared != hex)
            {
                return new Result(DiscoveryFailures.Unsupported($"Process {processId}: the debug offsets say CPython {fromCookie} (0x{hex:x8}) but Py_Version says {PythonVersion.FromHex(declared)} (0x{declared:x8}); the build is inconsistent."));
            }
            return new Result(fromCookie, VersionSource.DebugOffsets);
        }

        var freeThreadedName = candidate.Name is { IsFreeThreaded: true };
        if (pyVersion is { } pv)
        {
            return pv > uint.MaxValue
                ? new Result(DiscoveryFailures.Unsupported($"Process {processId}: Py_Version holds an implausible value 0x{pv:x}."))
                : new Result(PythonVersion.FromHex(pv, freeThreadedName), VersionSource.PyVersionSymbol);
        }

        if (FindVersionText(memory, elf, bias, candidate.Name?.Minor) is { } fromText)
        {
            return new Result(fromText with { FreeThreaded = freeThreadedName }, VersionSource.VersionText);
        }

        if (candidate.Name is { Minor: { } minor } name)
        {
            return new Result(new PythonVersion(name.Major, minor, 0, PythonVersion.Final, 0, freeThreadedName), VersionSource.FileName);
        }
        return new Result(DiscoveryFailures.Unsupported($"Process {processId}: found _PyRuntime in {candidate.Path} but could not tell the Python version (no debug offsets, no Py_Version, no sys.version text, and the file name carries none)."));
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

    /// <summary>A version and where it came from, or the failure to report instead.</summary>
    internal readonly record struct Result(PythonVersion Version, VersionSource Source, DiscoveryResult? Error)
    {
        public Result(PythonVersion version, VersionSource source)
            : this(version, source, null)
        {
        }

        public Result(DiscoveryResult error)
            : this(default, default, error)
        {
        }
    }
}
