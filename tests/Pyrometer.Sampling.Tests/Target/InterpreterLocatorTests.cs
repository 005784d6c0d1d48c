using System.Buffers.Binary;
using Pyrometer.Sampling.Elf;
using Pyrometer.Sampling.Memory;
using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Target;

namespace Pyrometer.Sampling.Tests.Target;

/// <summary>
/// Discovery decisions against a hand-made /proc tree (maps, links to real binaries) and scripted memory,
/// so every failure path runs without a live target.
/// </summary>
public sealed class InterpreterLocatorTests : IDisposable
{
    private const int Pid = 4321;
    private const ulong Base = 0x7f00_0000_0000;
    private const string LibraryPath = "/opt/python/lib/libpython3.13.so.1.0";

    private readonly string _root = Directory.CreateTempSubdirectory("pyrometer-locator-").FullName;
    private readonly ScriptedMemory _memory = new(Pid);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private InterpreterLocator Locator() => new(new ProcFs(_root), new ElfCache(), pid => _memory);

    private void WriteMaps(params string[] lines)
    {
        Directory.CreateDirectory(Path.Combine(_root, $"{Pid}"));
        File.WriteAllText(Path.Combine(_root, $"{Pid}", "maps"), string.Join('\n', lines) + "\n");
    }

    /// <summary>Maps a real libpython at <see cref="Base"/> under <paramref name="mappedPath"/> and makes it reachable via root/.</summary>
    private ElfFile MapLibrary(string realPath, string mappedPath = LibraryPath)
    {
        WriteMaps(
            $"{Base:x}-{Base + 0x1000:x} r--p 00000000 08:02 777 {mappedPath}",
            "7ffc00000000-7ffc00021000 rw-p 00000000 00:00 0 [stack]");
        var target = Path.Combine(_root, $"{Pid}", "root") + mappedPath;
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.CreateSymbolicLink(target, realPath);
        return ElfFile.Open(realPath);
    }

    private static byte[] DebugHeader(ulong hex, ulong freeThreaded)
    {
        var header = new byte[24];
        "xdebugpy"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(8), hex);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(16), freeThreaded);
        return header;
    }

    private static byte[] UInt64(ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        return bytes;
    }

    [Fact]
    public void Locate_DebugAbiLibrary_IsRefusedAsUnsupported()
    {
        WriteMaps($"{Base:x}-{Base + 0x1000:x} r--p 00000000 08:02 777 /usr/lib/libpython3.12d.so.1.0");

        var result = Locator().Locate(Pid);

        Assert.Equal(TargetErrorKind.UnsupportedPython, result.Error!.Code);
        Assert.Contains("debug build", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Locate_NoPythonMapping_IsNotPythonListingFiles()
    {
        WriteMaps(
            $"{Base:x}-{Base + 0x1000:x} r--p 00000000 08:02 777 /usr/lib/x86_64-linux-gnu/libc.so.6",
            $"{Base + 0x1000:x}-{Base + 0x2000:x} r--p 00000000 08:02 778 /opt/my app/bin/server (deleted)");

        var result = Locator().Locate(Pid);

        Assert.Equal(TargetErrorKind.NotPython, result.Error!.Code);
        Assert.Contains("/usr/lib/x86_64-linux-gnu/libc.so.6, /opt/my app/bin/server", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Locate_LibraryNotReachableThroughRoot_IsUnsupportedSayingWhere()
    {
        WriteMaps($"{Base:x}-{Base + 0x1000:x} r--p 00000000 08:02 777 {LibraryPath}");

        var result = Locator().Locate(Pid);

        Assert.Equal(TargetErrorKind.UnsupportedPython, result.Error!.Code);
        Assert.Contains($"cannot be opened through /proc/{Pid}/root", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Locate_ZombieWithoutMappings_IsProcessNotFound()
    {
        WriteMaps();
        File.WriteAllText(Path.Combine(_root, $"{Pid}", "stat"), $"{Pid} (python3) Z 1 {string.Join(' ', Enumerable.Repeat("0", 17))} 99 0 0\n");

        var result = Locator().Locate(Pid);

        Assert.Equal(TargetErrorKind.ProcessNotFound, result.Error!.Code);
        Assert.Contains("exited", result.Error.Message, StringComparison.Ordinal);
    }

    [PyenvFact("3.13")]
    public void Locate_CookieWithFreeThreadedFlag_ReportsFreeThreadedVersion()
    {
        var elf = MapLibrary(PythonInstalls.PyenvLibrary("3.13")!);
        var runtime = Base + elf.SymbolAddress("_PyRuntime")!.Value;
        _memory.With(runtime, DebugHeader(0x030D01F0, 1)).With(Base + elf.SymbolAddress("Py_Version")!.Value, UInt64(0x030D01F0));

        var result = Locator().Locate(Pid);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(new PythonVersion(3, 13, 1, PythonVersion.Final, 0, FreeThreaded: true), result.Location.Version);
        Assert.Equal("3.13.1t", result.Location.Version.ToString());
        Assert.Equal(runtime, result.Location.RuntimeAddress);
        Assert.Equal(Base, result.Location.LoadBias);
        Assert.Equal(LibraryPath, result.Location.BinaryPath);
    }

    [PyenvFact("3.13")]
    public void Locate_CookieDisagreesWithPyVersion_IsUnsupportedNamingBoth()
    {
        var elf = MapLibrary(PythonInstalls.PyenvLibrary("3.13")!);
        _memory.With(Base + elf.SymbolAddress("_PyRuntime")!.Value, DebugHeader(0x030D00F0, 0))
            .With(Base + elf.SymbolAddress("Py_Version")!.Value, UInt64(0x030D01F0));

        var result = Locator().Locate(Pid);

        Assert.Equal(TargetErrorKind.UnsupportedPython, result.Error!.Code);
        Assert.Contains("3.13.0 (0x030d00f0)", result.Error.Message, StringComparison.Ordinal);
        Assert.Contains("3.13.1 (0x030d01f0)", result.Error.Message, StringComparison.Ordinal);
    }

    [PyenvFact("3.13")]
    public void Locate_VersionFromMemoryContradictsFileName_IsUnsupported()
    {
        var elf = MapLibrary(PythonInstalls.PyenvLibrary("3.13")!, "/opt/python/lib/libpython3.12.so.1.0");
        _memory.With(Base + elf.SymbolAddress("_PyRuntime")!.Value, DebugHeader(0x030D00F0, 0))
            .With(Base + elf.SymbolAddress("Py_Version")!.Value, UInt64(0x030D00F0));

        var result = Locator().Locate(Pid);

        Assert.Equal(TargetErrorKind.UnsupportedPython, result.Error!.Code);
        Assert.Contains("named for Python 3.12 but its memory says 3.13.0", result.Error.Message, StringComparison.Ordinal);
    }

    [PyenvFact("3.13")]
    public void Locate_ReadRefused_IsPermissionDeniedNamingCapability()
    {
        MapLibrary(PythonInstalls.PyenvLibrary("3.13")!);
        _memory.Failure = ReadStatus.PermissionDenied;

        var result = Locator().Locate(Pid);

        Assert.Equal(TargetErrorKind.PermissionDenied, result.Error!.Code);
        Assert.Contains("CAP_SYS_PTRACE", result.Error.Message, StringComparison.Ordinal);
        Assert.Contains($"process {Pid}", result.Error.Message, StringComparison.Ordinal);
        Assert.Contains("Yama is not active", result.Error.Message, StringComparison.Ordinal);   // no yama file under the fake root
    }

    [PyenvFact("3.13")]
    public void Locate_ProcessGoneDuringRead_IsProcessNotFound()
    {
        MapLibrary(PythonInstalls.PyenvLibrary("3.13")!);
        _memory.Failure = ReadStatus.ProcessGone;

        var result = Locator().Locate(Pid);

        Assert.Equal(TargetErrorKind.ProcessNotFound, result.Error!.Code);
    }

    [PyenvFact("3.13")]
    public void Locate_RuntimeUnreadable_IsUnsupportedSayingWhat()
    {
        MapLibrary(PythonInstalls.PyenvLibrary("3.13")!);

        var result = Locator().Locate(Pid);

        Assert.Equal(TargetErrorKind.UnsupportedPython, result.Error!.Code);
        Assert.Contains("could not read _PyRuntime at 0x7f", result.Error.Message, StringComparison.Ordinal);
    }

    [PyenvFact("3.10")]
    public void Locate_VersionBufferEmpty_FallsBackToFileName()
    {
        var elf = MapLibrary(PythonInstalls.PyenvLibrary("3.10")!, "/opt/python/lib/libpython3.10.so.1.0");
        var bss = elf.FindSection(".bss")!;
        var data = elf.FindSection(".data")!;
        _memory.With(Base + elf.SymbolAddress("_PyRuntime")!.Value, new byte[24])
            .With(Base + bss.Address, new byte[bss.Size])
            .With(Base + data.Address, new byte[data.Size]);

        var result = Locator().Locate(Pid);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(VersionSource.FileName, result.Location.VersionSource);
        Assert.Equal(new PythonVersion(3, 10, 0, PythonVersion.Final, 0), result.Location.Version);
    }

    [PyenvFact("3.10")]
    public void Locate_VersionTextInBss_IsFoundByScan()
    {
        var elf = MapLibrary(PythonInstalls.PyenvLibrary("3.10")!, "/opt/python/lib/libpython3.10.so.1.0");
        var bss = elf.FindSection(".bss")!;
        var image = new byte[bss.Size];
        var versionAt = (int)(elf.SymbolAddress("version.0")!.Value - bss.Address);
        "3.10.9 (main, Jan 1 2026, 00:00:00) [GCC 12.2.0]"u8.CopyTo(image.AsSpan(versionAt));
        _memory.With(Base + elf.SymbolAddress("_PyRuntime")!.Value, new byte[24]).With(Base + bss.Address, image);

        var result = Locator().Locate(Pid);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(VersionSource.VersionText, result.Location.VersionSource);
        Assert.Equal("3.10.9", result.Location.Version.ToString());
    }

    [PyenvFact("3.13")]
    public void Locate_DeletedLibrary_OpensMappedInodeThroughMapFiles()
    {
        var real = PythonInstalls.PyenvLibrary("3.13")!;
        var elf = ElfFile.Open(real);
        WriteMaps($"{Base:x}-{Base + 0x1000:x} r--p 00000000 08:02 777 {LibraryPath} (deleted)");
        Directory.CreateDirectory(Path.Combine(_root, $"{Pid}", "map_files"));
        File.CreateSymbolicLink(Path.Combine(_root, $"{Pid}", "map_files", $"{Base:x}-{Base + 0x1000:x}"), real);
        _memory.With(Base + elf.SymbolAddress("_PyRuntime")!.Value, DebugHeader(0x030D00F0, 0))
            .With(Base + elf.SymbolAddress("Py_Version")!.Value, UInt64(0x030D00F0));

        var result = Locator().Locate(Pid);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(LibraryPath, result.Location.BinaryPath);
        Assert.Equal("3.13.0", result.Location.Version.ToString());
    }

    [PyenvFact("3.13")]
    public void Locate_SameFileAgainOrReplaced_ParsesOnlyWhenInodeChanges()
    {
        var elf = MapLibrary(PythonInstalls.PyenvLibrary("3.13")!);
        _memory.With(Base + elf.SymbolAddress("_PyRuntime")!.Value, DebugHeader(0x030D00F0, 0))
            .With(Base + elf.SymbolAddress("Py_Version")!.Value, UInt64(0x030D00F0));
        var locator = Locator();

        Assert.True(locator.Locate(Pid).IsSuccess);
        Assert.True(locator.Locate(Pid).IsSuccess);
        var parsedOnce = locator.ElfCache.ParseCount;
        WriteMaps($"{Base:x}-{Base + 0x1000:x} r--p 00000000 08:02 999 {LibraryPath}");   // upgraded in place: new inode
        Assert.True(locator.Locate(Pid).IsSuccess);

        Assert.Equal(1, parsedOnce);
        Assert.Equal(2, locator.ElfCache.ParseCount);
    }
}
