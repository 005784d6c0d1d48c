using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using Pyrometer.Sampling.Elf;
using Pyrometer.Sampling.Tests.Target;

namespace Pyrometer.Sampling.Tests.Elf;

public sealed class ElfFileTests
{
    private const string DebianHint = "Debian's static non-PIE CPython: apt-get install python3.11-minimal";

    [PyenvFact("3.8")]
    public void Open_Pyenv38Library_HasRuntimeSymbolButNoSectionOrPyVersion() => AssertPyenvLibrary("3.8", hasSection: false, hasPyVersion: false);

    [PyenvFact("3.9")]
    public void Open_Pyenv39Library_HasRuntimeSymbolButNoSectionOrPyVersion() => AssertPyenvLibrary("3.9", hasSection: false, hasPyVersion: false);

    [PyenvFact("3.10")]
    public void Open_Pyenv310Library_HasRuntimeSectionButNoPyVersion() => AssertPyenvLibrary("3.10", hasSection: true, hasPyVersion: false);

    [PyenvFact("3.11")]
    public void Open_Pyenv311Library_HasRuntimeSectionAndPyVersion() => AssertPyenvLibrary("3.11", hasSection: true, hasPyVersion: true);

    [PyenvFact("3.12")]
    public void Open_Pyenv312Library_HasRuntimeSectionAndPyVersion() => AssertPyenvLibrary("3.12", hasSection: true, hasPyVersion: true);

    [PyenvFact("3.13")]
    public void Open_Pyenv313Library_HasRuntimeSectionAndPyVersion() => AssertPyenvLibrary("3.13", hasSection: true, hasPyVersion: true);

    private static void AssertPyenvLibrary(string minor, bool hasSection, bool hasPyVersion)
    {
        var elf = ElfFile.Open(PythonInstalls.PyenvLibrary(minor)!);

        Assert.Equal(ElfFileType.SharedObject, elf.Type);
        Assert.Equal(62, elf.Machine);
        Assert.True(elf.TryGetSymbol("_PyRuntime", out var runtime));
        Assert.True(runtime.IsDynamic);
        Assert.Equal(ElfSymbol.ObjectKind, runtime.Kind);
        Assert.True(runtime.Size > 0);
        var section = elf.FindSection(".PyRuntime");
        Assert.Equal(hasSection, section is not null);
        if (section is not null)
        {
            Assert.Equal(runtime.Value, section.Address);   // the section holds only _PyRuntime
        }
        Assert.Equal(hasPyVersion, elf.TryGetSymbol("Py_Version", out _));
        Assert.True(elf.TryGetSymbol("PyCode_Type", out _));
        // The static sys.version buffer: "version.0" up to 3.11, "version" from 3.12; .symtab survives in pyenv builds.
        Assert.True(elf.TryGetSymbol("version.0", out var versionBuffer) || elf.TryGetSymbol("version", out versionBuffer));
        Assert.False(versionBuffer.IsDynamic);
        Assert.InRange(versionBuffer.Size, 250UL, 300UL);   // 250 bytes, 300 from 3.13
        Assert.False(elf.TryGetSymbol("malloc", out _));                     // imported from libc: undefined here
        Assert.True(elf.FindSection(".bss")!.IsNoBits);
        Assert.NotNull(elf.FindSection(".data"));
        var firstLoad = elf.ProgramHeaders.First(p => p.IsLoad);
        Assert.Equal(0UL, firstLoad.Offset);
        Assert.Equal(0UL, firstLoad.VirtualAddress);
        Assert.Equal(0x7f00_1234_0000UL, elf.LoadBias(0x7f00_1234_0000, 0));
    }

    [FileFact(DebianHint, "/usr/bin/python3.11")]
    public void Open_DebianStaticExecutable_IsNonPieWithExportedRuntime()
    {
        var elf = ElfFile.Open("/usr/bin/python3.11");

        Assert.Equal(ElfFileType.Executable, elf.Type);
        Assert.Null(elf.FindSection(".symtab"));                  // stripped
        Assert.True(elf.TryGetSymbol("_PyRuntime", out var runtime));
        Assert.True(runtime.IsDynamic);                           // linked with -export-dynamic
        Assert.Equal(runtime.Value, elf.FindSection(".PyRuntime")!.Address);
        Assert.True(elf.TryGetSymbol("Py_Version", out _));
        Assert.Equal(0UL, elf.LoadBias(0x400000, 0));             // mapped where it was linked
    }

    [FileFact("binutils' readelf is the independent oracle", "/usr/bin/readelf", "/usr/bin/python3.11")]
    public void Open_DebianStaticExecutable_AgreesWithReadelf()
    {
        var elf = ElfFile.Open("/usr/bin/python3.11");
        var readelf = ReadelfDynamicSymbols("/usr/bin/python3.11");

        foreach (var name in (string[])["_PyRuntime", "Py_Version", "PyCode_Type", "PyUnicode_Type", "PyGen_Type", "_PyEval_EvalFrameDefault"])
        {
            Assert.True(elf.TryGetSymbol(name, out var symbol), name);
            Assert.Equal(readelf[name], symbol.Value);
        }
    }

    [Fact]
    public void ComputeLoadBias_PieLibraryLayout_GivesSameBiasForEveryMapping()
    {
        // libpython3.11.so from pyenv: the RW segment's file offset sits 0x1000 below its address, and its
        // first page is also the last page of the read-only segment before it.
        ElfProgramHeader[] segments =
        [
            new(1, 4, 0x000000, 0x000000, 0x0f4188, 0x0f4188, 0x1000),
            new(1, 5, 0x0f5000, 0x0f5000, 0x23b6d9, 0x23b6d9, 0x1000),
            new(1, 4, 0x331000, 0x331000, 0x0e3078, 0x0e3078, 0x1000),
            new(1, 6, 0x414ed0, 0x415ed0, 0x161190, 0x1a3a68, 0x1000),
        ];
        const ulong Bias = 0x7f3a_1c00_0000;

        Assert.Equal(Bias, ElfFile.ComputeLoadBias(segments, Bias, 0));
        Assert.Equal(Bias, ElfFile.ComputeLoadBias(segments, Bias + 0x0f5000, 0x0f5000));
        Assert.Equal(Bias, ElfFile.ComputeLoadBias(segments, Bias + 0x415000, 0x414000));   // RW segment
        Assert.Equal(Bias, ElfFile.ComputeLoadBias(segments, Bias + 0x452000, 0x451000));   // after RELRO split
    }

    [Fact]
    public void ComputeLoadBias_NonPieExecutableLayout_GivesZero()
    {
        // Debian's /usr/bin/python3.11: ET_EXEC linked at 0x400000 and mapped there.
        ElfProgramHeader[] segments =
        [
            new(6, 4, 0x40, 0x400040, 0x2d8, 0x2d8, 8),           // PT_PHDR is not loadable
            new(1, 4, 0x000000, 0x400000, 0x01e3e8, 0x01e3e8, 0x1000),
            new(1, 5, 0x01f000, 0x41f000, 0x2b2289, 0x2b2289, 0x1000),
            new(1, 6, 0x544dc8, 0x945dc8, 0x13e4b0, 0x1832f0, 0x1000),
        ];

        Assert.Equal(0UL, ElfFile.ComputeLoadBias(segments, 0x400000, 0));
        Assert.Equal(0UL, ElfFile.ComputeLoadBias(segments, 0x41f000, 0x01f000));
        Assert.Equal(0UL, ElfFile.ComputeLoadBias(segments, 0x945000, 0x544000));
    }

    [Fact]
    public void ComputeLoadBias_OffsetOutsideEverySegment_ReturnsNull()
    {
        ElfProgramHeader[] segments = [new(1, 4, 0, 0, 0x1000, 0x1000, 0x1000)];

        Assert.Null(ElfFile.ComputeLoadBias(segments, 0x7f0000000000, 0x50000));
        Assert.Null(ElfFile.ComputeLoadBias([], 0x7f0000000000, 0));
    }

    [Fact]
    public void Open_TextFile_ThrowsNotElf()
    {
        var error = Assert.Throws<ElfFormatException>(() => ElfFile.Open(AssetFiles.PathOf("elf-not-elf.txt")));

        Assert.Contains("is not an ELF file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_FileShorterThanHeader_ThrowsTruncated()
    {
        var error = Assert.Throws<ElfFormatException>(() => ElfFile.Open(AssetFiles.PathOf("elf-truncated-header.bin")));

        Assert.Contains("is truncated: the ELF header", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_SectionTableBeyondEnd_ThrowsTruncated()
    {
        var header = Header(elfClass: 2, data: 1);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(40), 0x10000);   // e_shoff
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(58), 64);        // e_shentsize
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(60), 30);        // e_shnum

        var error = Assert.Throws<ElfFormatException>(() => OpenBytes(header));

        Assert.Contains("is truncated: the section header table (offset 65536", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 1, "32-bit")]
    [InlineData(2, 2, "big-endian")]
    public void Open_UnsupportedClassOrByteOrder_ThrowsNamingIt(byte elfClass, byte data, string expected)
    {
        var error = Assert.Throws<ElfFormatException>(() => OpenBytes(Header(elfClass, data)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_HeaderOnly_HasNoSectionsOrSymbols()
    {
        var elf = OpenBytes(Header(2, 1));

        Assert.Equal(ElfFileType.SharedObject, elf.Type);
        Assert.Empty(elf.Sections);
        Assert.Empty(elf.ProgramHeaders);
        Assert.Equal(0, elf.SymbolCount);
        Assert.Null(elf.FindSection(".bss"));
    }

    [Fact]
    public void Open_TinyElf_FindsItsSymbolsAndSections()
    {
        var image = new TinyElf().Section(".bss", TinyElf.NoBitsType, [], address: 0x4000, size: 0x100)
            .Symbol("_PyRuntime", 0x1000, 0x200).Symbol("Py_Version", 0x2000).Build();

        var elf = OpenBytes(image);

        Assert.Equal(0x1000UL, elf.SymbolAddress("_PyRuntime"));
        Assert.Equal(0x2000UL, elf.SymbolAddress("Py_Version"));
        Assert.Equal(0x4000UL, elf.FindSection(".bss")!.Address);
        Assert.Equal((long)image.Length, elf.Identity.Length);
    }

    [Fact]
    public void Open_SameHugeTableListedManyTimes_StopsAtTheTotalReadCap()
    {
        // Ten symbol tables of 8 MiB, all over the same bytes: each is under the per-table cap, the sum is not.
        var builder = new TinyElf().Section(".strtab", TinyElf.StringTableType, [0]);
        builder.Section(".symtab", TinyElf.SymbolTableType, new byte[8 << 20], link: 1, entrySize: 24);
        for (var i = 0; i < 9; i++)
        {
            builder.Section(".symtab", TinyElf.SymbolTableType, [], link: 1, entrySize: 24, size: 8 << 20, sharesDataOf: 2);
        }
        var image = builder.Build();

        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<ElfFormatException>(() => OpenBytes(image));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("add up to more than", error.Message, StringComparison.Ordinal);
        Assert.InRange(allocated, 0, ElfFile.MaxTotalBytes + (4 << 20));
    }

    [Fact]
    public void Open_ExtendedNameIndexBeyondIntRange_ThrowsFormatError()
    {
        var image = new TinyElf().Symbol("_PyRuntime", 0x1000).Build();
        var sectionTable = (int)BinaryPrimitives.ReadUInt64LittleEndian(image.AsSpan(40));
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(62), 0xFFFF);                   // e_shstrndx: "see section 0"
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(sectionTable + 40), 0x8000_0000); // section 0's sh_link

        var error = Assert.Throws<ElfFormatException>(() => OpenBytes(image));

        Assert.Contains("section-name table index", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_SectionCountAboveCap_ThrowsFormatError()
    {
        var image = new TinyElf().Symbol("_PyRuntime", 0x1000).Build();
        var sectionTable = (int)BinaryPrimitives.ReadUInt64LittleEndian(image.AsSpan(40));
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(60), 0);                          // e_shnum: "see section 0"
        BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan(sectionTable + 32), 60_000);      // section 0's sh_size

        var error = Assert.Throws<ElfFormatException>(() => OpenBytes(image));

        Assert.Contains("more than this reader accepts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_Fifo_RefusedWithoutWaitingForAWriter()
    {
        var directory = Directory.CreateTempSubdirectory("pyrometer-elf-");
        var fifo = Path.Combine(directory.FullName, "libpython3.12.so");
        try
        {
            using (var mkfifo = Process.Start("mkfifo", [fifo]))
            {
                await mkfifo.WaitForExitAsync();
                Assert.Equal(0, mkfifo.ExitCode);
            }
            // A target can plant a FIFO where its library was: opening it for reading would wait for a writer forever.
            var open = Task.Run(() => ElfFile.Open(fifo));
            var finished = await Task.WhenAny(open, Task.Delay(TimeSpan.FromSeconds(60))) == open;
            if (!finished)
            {
                await using var writer = new FileStream(fifo, FileMode.Open, FileAccess.Write);   // unblocks the stuck open
            }

            Assert.True(finished, "opening a FIFO blocked until a writer came");
            var error = await Assert.ThrowsAsync<ElfFormatException>(() => open);
            Assert.Contains("is not a regular file", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Open_MissingFile_ThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => ElfFile.Open(Path.Combine(Path.GetTempPath(), "no-such-libpython3.12.so")));
    }

    private static byte[] Header(byte elfClass, byte data)
    {
        var header = new byte[64];
        "\u007fELF"u8.CopyTo(header);
        header[4] = elfClass;
        header[5] = data;
        header[6] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(16), 3);    // ET_DYN
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(18), 62);   // x86-64
        return header;
    }

    private static ElfFile OpenBytes(byte[] bytes)
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, bytes);
            return ElfFile.Open(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static Dictionary<string, ulong> ReadelfDynamicSymbols(string path)
    {
        var info = new ProcessStartInfo("/usr/bin/readelf") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in (string[])["--dyn-syms", "-W", path])
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var symbols = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n'))
        {
            // "  1234: 0000000000a5b740 166688 OBJECT  GLOBAL DEFAULT   26 _PyRuntime"
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 8 && parts[0].EndsWith(':') && parts[6] != "UND"
                && ulong.TryParse(parts[1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
            {
                symbols.TryAdd(parts[7].Split('@')[0], value);
            }
        }
        return symbols;
    }
}
