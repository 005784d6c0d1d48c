using System.Buffers.Binary;
using Pyrometer.Sampling.Elf;
using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Target;
using Pyrometer.Sampling.Tests.Fakes;
using Pyrometer.Sampling.Tests.Python;

namespace Pyrometer.Sampling.Fuzz;

/// <summary>
/// One entry point per surface a target controls. Each accepts any bytes: the documented failures
/// (ElfFormatException, a null result, a dropped thread) are fine; any other exception, or a bound
/// broken, escapes and afl-fuzz records the input as a crash.
/// </summary>
internal static class Harnesses
{
    /// <summary>Versions the walker harness can be told to use (input byte 0, modulo the count).</summary>
    public static readonly string[] WalkerVersions = ["3.8.18", "3.9.18", "3.10.13", "3.11.7", "3.12.1", "3.13.0", "3.14.10", "3.14.10t", "3.15.2"];

    /// <summary>Where the walker harness puts _PyRuntime; the rest of the image is where the input says.</summary>
    public const ulong RuntimeAddress = PythonImageBuilder.RuntimeBase;

    private static readonly PythonLayout?[] Layouts = WalkerVersions.Select(TestLayout).ToArray();

    /// <summary>(a) The ELF parser: the whole input is the file, parsed once for every symbol and once for the agent's set.</summary>
    public static void Elf(ReadOnlySpan<byte> input)
    {
        var image = input.ToArray();
        foreach (var wanted in (IReadOnlySet<string>?[])[null, InterpreterLocator.SymbolNames])
        {
            try
            {
                var elf = ElfFile.Parse(image, "fuzz.elf", wanted);
                foreach (var section in elf.Sections)
                {
                    _ = elf.FindSection(section.Name);
                }
                foreach (var segment in elf.ProgramHeaders)
                {
                    _ = elf.LoadBias(0x7f00_0000_0000, segment.Offset);
                }
                _ = elf.SymbolAddress(InterpreterLocator.RuntimeSymbol);
            }
            catch (ElfFormatException)
            {
                // the documented answer to a file that is not a usable ELF
            }
        }
    }

    /// <summary>(b) Line tables: byte 0 picks the format (lnotab, 3.10, 3.11+ locations), bytes 1–4 the first line, the rest is the table.</summary>
    public static void LineTables(ReadOnlySpan<byte> input)
    {
        if (input.Length < 5)
        {
            return;
        }
        var format = (LineTableFormat)(input[0] % 3);
        var firstLine = BinaryPrimitives.ReadInt32LittleEndian(input[1..]);
        var table = input[5..];
        var decoded = LineTable.Decode(format, table, firstLine);
        if (decoded is null)
        {
            return;
        }
        if (decoded.Count > LineTable.MaxEntries)
        {
            throw new InvalidOperationException($"A line table decoded to {decoded.Count} ranges, past its bound.");
        }
        for (var index = -1; index < Math.Min(decoded.End, 4096); index++)
        {
            _ = decoded.LineAt(index);
        }
        _ = decoded.LineAt(int.MaxValue);
        _ = decoded.LineAt(int.MinValue);
    }

    /// <summary>
    /// (c) The memory-image walker. Byte 0 picks the version; then regions follow, each an address
    /// (8 bytes), a length (4) and that many bytes. For 3.13+ the layout is parsed from the image's
    /// debug offsets at _PyRuntime when they pass their checks (they are target memory too), else the
    /// version's test layout is used. Three samples run, so the caches and read-ahead are exercised.
    /// </summary>
    /// <returns>The threads the last sample resolved (replay prints it, to show a seed reaches the stacks).</returns>
    public static int Walker(ReadOnlySpan<byte> input)
    {
        if (input.Length < 1)
        {
            return 0;
        }
        var choice = input[0] % WalkerVersions.Length;
        var version = Versions.Parse(WalkerVersions[choice]);
        var memory = new ImageMemory();
        var rest = input[1..];
        while (rest.Length >= 12)
        {
            var start = BinaryPrimitives.ReadUInt64LittleEndian(rest);
            var length = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(rest[8..]), (uint)(rest.Length - 12));
            memory.Map(start, rest.Slice(12, length).ToArray());
            rest = rest[(12 + length)..];
        }
        // The sys.version text is searched for in the same kind of memory when no better source exists.
        _ = PythonVersionText.TryFind(input, version.Minor, out _);
        var layout = Layouts[choice]!;
        if (version.Minor >= 13 && DebugOffsetsReader.Read(memory, RuntimeAddress, version, out _) is { } parsed)
        {
            layout = parsed;
        }
        var location = new InterpreterLocation(memory.ProcessId, version, RuntimeAddress,
            new Dictionary<string, ulong>
            {
                ["_PyRuntime"] = RuntimeAddress,
                ["PyCode_Type"] = PythonImageBuilder.CodeType,
                ["PyUnicode_Type"] = PythonImageBuilder.UnicodeType,
                ["PyBytes_Type"] = PythonImageBuilder.BytesType,
            },
            "/usr/lib/libpython-fuzz.so");
        var walker = new StackWalker(memory, location, layout);
        var resolved = 0;
        for (var sample = 0; sample < 3; sample++)
        {
            var result = walker.Sample();
            resolved = result.Threads.Count;
            var frames = 0;
            foreach (var thread in result.Threads)
            {
                frames += thread.Frames.Count;
                if (thread.Frames.Count > StackWalker.MaxDepth)
                {
                    throw new InvalidOperationException($"A stack of {thread.Frames.Count} frames passed MaxDepth.");
                }
            }
            if (result.Threads.Count > StackWalker.MaxThreads || frames > StackWalker.MaxFramesPerSample
                || walker.CachedCodes > StackWalker.MaxCachedCodes || walker.CachedCodeBytes > CodeObjectReader.MaxCacheBytes)
            {
                throw new InvalidOperationException("A sample passed one of the walker's documented bounds.");
            }
        }
        return resolved;
    }

    /// <summary>
    /// A planted crash: any input not starting with 'b' (the seed is "boon", so the first mutations
    /// reach it). hack/fuzz.sh checks first that afl-fuzz reports it.
    /// </summary>
    public static void Canary(ReadOnlySpan<byte> input)
    {
        _ = LineTable.Decode(LineTableFormat.Lnotab, input, 1);   // instrumented code, so afl-fuzz sees coverage
        if (input.IsEmpty || input[0] != (byte)'b')
        {
            throw new InvalidOperationException("The canary input was found: crash reporting works.");
        }
    }

    /// <summary>The layout a synthetic image of this version uses (the test fakes' debug tables for 3.13+).</summary>
    public static PythonLayout TestLayout(string versionText)
    {
        var version = Versions.Parse(versionText);
        if (version.Minor >= 13)
        {
            return DebugOffsetsReader.Parse(DebugTables.Table(version), version, out var error) ?? throw new InvalidOperationException(error);
        }
        return KnownLayouts.For(version, out var known) ?? throw new InvalidOperationException(known);
    }
}
