using System.Buffers.Binary;
using System.Text.Json;
using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Tests.Elf;
using Pyrometer.Sampling.Tests.Fakes;
using Pyrometer.Sampling.Tests.Python;

namespace Pyrometer.Sampling.Fuzz;

/// <summary>
/// Writes the starting corpora, all made here from the project's own code and data: ELF images from
/// <see cref="TinyElf"/> (plus this program's own apphost, an ELF file the build just made), line
/// tables encoded by the test encoder and recorded by generate.py, and synthetic CPython images laid
/// out by the test image builder for every supported version.
/// </summary>
internal static class Seeds
{
    public static void Write(string directory, string? linetableAssets)
    {
        WriteAll(Path.Combine(directory, "elf"), ElfSeeds());
        WriteAll(Path.Combine(directory, "linetable"), LineTableSeeds(linetableAssets));
        WriteAll(Path.Combine(directory, "walker"), WalkerSeeds());
    }

    private static void WriteAll(string directory, IEnumerable<byte[]> seeds)
    {
        Directory.CreateDirectory(directory);
        var index = 0;
        foreach (var seed in seeds)
        {
            File.WriteAllBytes(Path.Combine(directory, $"seed-{index++:D3}"), seed);
        }
    }

    private static IEnumerable<byte[]> ElfSeeds()
    {
        yield return new TinyElf().Symbol("_PyRuntime", 0x1000, 0x200).Build();
        yield return new TinyElf().Section(".PyRuntime", TinyElf.ProgramBitsType, new byte[64], address: 0x3000)
            .Section(".bss", TinyElf.NoBitsType, [], address: 0x4000, size: 0x400)
            .Symbol("Py_Version", 0x2000).Symbol("PyCode_Type", 0x2100, 0x100).Build();
        var strings = "\0version.0\0_PyRuntime\0"u8.ToArray();
        var symbols = new byte[24 * 3];
        BinaryPrimitives.WriteUInt32LittleEndian(symbols.AsSpan(24), 1);
        symbols[28] = 0x01;
        BinaryPrimitives.WriteUInt16LittleEndian(symbols.AsSpan(30), 1);
        BinaryPrimitives.WriteUInt64LittleEndian(symbols.AsSpan(32), 0x5000);
        BinaryPrimitives.WriteUInt64LittleEndian(symbols.AsSpan(40), 250);
        BinaryPrimitives.WriteUInt32LittleEndian(symbols.AsSpan(48), 11);
        symbols[52] = 0x11;
        BinaryPrimitives.WriteUInt16LittleEndian(symbols.AsSpan(54), 1);
        yield return new TinyElf().Section(".strtab", TinyElf.StringTableType, strings)
            .Section(".symtab", TinyElf.SymbolTableType, symbols, link: 1, entrySize: 24).Build();
        var apphost = Path.Combine(AppContext.BaseDirectory, "Pyrometer.Sampling.Fuzz");
        if (File.Exists(apphost) && new FileInfo(apphost).Length < 512 << 10)
        {
            yield return File.ReadAllBytes(apphost);
        }
    }

    private static IEnumerable<byte[]> LineTableSeeds(string? assets)
    {
        int[][] patterns = [[1, 1, 2, 2, 3], [5, 0, 5, 7, 7, 7, 9], [10, 9, 8, 200, 1, 1]];
        foreach (var format in Enum.GetValues<LineTableFormat>())
        {
            foreach (var lines in patterns)
            {
                yield return Seed(format, lines[0], LineTableEncoder.Encode(format, lines[0], lines));
            }
        }
        if (assets is null || !Directory.Exists(assets))
        {
            yield break;
        }
        // A few recorded tables of every version (generate.py ran CPython itself), the shortest ones.
        foreach (var path in Directory.GetFiles(assets, "linetables-*.json").Order(StringComparer.Ordinal))
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var format = document.RootElement.GetProperty("format").GetString() switch
            {
                "lnotab" => LineTableFormat.Lnotab,
                "linetable310" => LineTableFormat.LineTable310,
                _ => LineTableFormat.Locations,
            };
            var codes = document.RootElement.GetProperty("codes").EnumerateArray()
                .Select(c => (Table: Convert.FromHexString(c.GetProperty("table").GetString()!), First: c.GetProperty("firstLine").GetInt32()))
                .Where(c => c.Table.Length is > 0 and < 512).OrderBy(c => c.Table.Length).Take(4);
            foreach (var (table, first) in codes)
            {
                yield return Seed(format, first, table);
            }
        }
    }

    private static byte[] Seed(LineTableFormat format, int firstLine, byte[] table)
    {
        var seed = new byte[5 + table.Length];
        seed[0] = (byte)format;
        BinaryPrimitives.WriteInt32LittleEndian(seed.AsSpan(1), firstLine);
        table.CopyTo(seed, 5);
        return seed;
    }

    private static IEnumerable<byte[]> WalkerSeeds()
    {
        for (var choice = 0; choice < Harnesses.WalkerVersions.Length; choice++)
        {
            var image = new PythonImageBuilder(Versions.Parse(Harnesses.WalkerVersions[choice]), heapBytes: 96 << 10);
            var interp = image.Interpreter();
            var module = image.Code("<module>", "<module>", "/app/main.py", 1, [1, 1, 2, 3]);
            var work = image.Code("работа", "Worker.работа", "/app/wörk_😀.py", 20, [20, 21, 22, 22]);
            image.Thread(interp, image.Memory.ProcessId, [new(work, 2), new(module, 1)]);
            var worker = image.Thread(interp, 4243, [new(module, -1)]);
            image.HoldGil(interp, worker);
            yield return Serialize((byte)choice, image);
        }
    }

    // Version byte, then the runtime (up to its last non-zero byte) and the used heap, each as address, length, bytes.
    private static byte[] Serialize(byte choice, PythonImageBuilder image)
    {
        var heapUsed = (int)(image.Alloc(0) - PythonImageBuilder.HeapBase);
        var runtime = image.Span(PythonImageBuilder.RuntimeBase, 64 << 10);
        var runtimeUsed = Math.Max(runtime.LastIndexOfAnyExcept((byte)0) + 1, image.Layout.RuntimeInterpretersHead + 8);
        if (image.Layout.Gil == GilStyle.RuntimeGil)
        {
            runtimeUsed = Math.Max(runtimeUsed, image.Layout.RuntimeGilLastHolder + image.Layout.GilLockedDelta + 4);
        }
        var output = new MemoryStream();
        output.WriteByte(choice);
        WriteRegion(output, PythonImageBuilder.RuntimeBase, runtime[..((runtimeUsed + 7) & ~7)]);
        WriteRegion(output, PythonImageBuilder.HeapBase, image.Heap.AsSpan(0, heapUsed));
        return output.ToArray();
    }

    private static void WriteRegion(Stream output, ulong start, ReadOnlySpan<byte> bytes)
    {
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, start);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], (uint)bytes.Length);
        output.Write(header);
        output.Write(bytes);
    }
}
