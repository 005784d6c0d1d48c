using System.Buffers.Binary;
using System.Globalization;
using Pyrometer.Sampling.Memory;
using Pyrometer.Sampling.Target;

namespace Pyrometer.Sampling.Tests.Target;

/// <summary>Discovery against real interpreters started for the test; each is killed when its test ends.</summary>
[Trait("Category", "Integration")]
public sealed class InterpreterLocatorLiveTests
{
    private const string DebianHint = "Debian's static non-PIE CPython: apt-get install python3.11-minimal";

    [PyenvFact("3.8")]
    public void Locate_Pyenv38_ReadsVersionText() => AssertPyenv("3.8", VersionSource.VersionText);

    [PyenvFact("3.9")]
    public void Locate_Pyenv39_ReadsVersionText() => AssertPyenv("3.9", VersionSource.VersionText);

    [PyenvFact("3.10")]
    public void Locate_Pyenv310_ReadsVersionText() => AssertPyenv("3.10", VersionSource.VersionText);

    [PyenvFact("3.11")]
    public void Locate_Pyenv311_ReadsPyVersion() => AssertPyenv("3.11", VersionSource.PyVersionSymbol);

    [PyenvFact("3.12")]
    public void Locate_Pyenv312_ReadsPyVersion() => AssertPyenv("3.12", VersionSource.PyVersionSymbol);

    [PyenvFact("3.13")]
    public void Locate_Pyenv313_ReadsDebugOffsetsCookieAgreeingWithPyVersion() =>
        AssertPyenv("3.13", VersionSource.DebugOffsets, CheckCookieAgreesWithPyVersion);

    private static void CheckCookieAgreesWithPyVersion(InterpreterLocation location)
    {
        var memory = new LinuxProcessMemory(location.ProcessId);
        Span<byte> header = stackalloc byte[24];
        Assert.True(memory.TryRead(location.RuntimeAddress, header));
        Assert.Equal("xdebugpy"u8.ToArray(), header[..8].ToArray());
        Assert.True(memory.TryReadUInt64(location.Symbol("Py_Version")!.Value, out var pyVersion));
        Assert.Equal(BinaryPrimitives.ReadUInt64LittleEndian(header[8..]), pyVersion);
        Assert.Equal(0UL, BinaryPrimitives.ReadUInt64LittleEndian(header[16..]));   // not free-threaded
        Assert.False(location.Version.FreeThreaded);
    }

    [PyenvFact("3.7")]
    public void Locate_Pyenv37WithPymallocAbiName_ReadsVersionText() => AssertPyenv("3.7", VersionSource.VersionText);

    [PyenvFact("3.6")]
    public void Locate_Pyenv36WithoutPyRuntime_IsUnsupported() => AssertUnsupported("3.6");

    [PyenvFact("2.7")]
    public void Locate_Pyenv27_IsUnsupported() => AssertUnsupported("2.7");

    [FileFact(DebianHint, PythonInstalls.DebianPython311)]
    public void Locate_DebianStaticNonPie_UsesExecutableWithZeroBias()
    {
        using var python = SleepingProcess.StartPython(PythonInstalls.DebianPython311);
        var locator = new InterpreterLocator();

        var result = locator.Locate(python.ProcessId);

        Assert.True(result.IsSuccess, result.ToString());
        var location = result.Location;
        Assert.Equal(PythonInstalls.DebianPython311, location.BinaryPath);
        Assert.Equal(0UL, location.LoadBias);
        Assert.Equal(VersionSource.PyVersionSymbol, location.VersionSource);
        AssertReportedVersion(python, location);
        AssertAddressesInBinary(location);
    }

    [PyenvFact("3.12")]
    public void Locate_ForkedChild_ReusesParsedBinary()
    {
        const string Script = "import os, sys, time\npid = os.fork()\nif pid == 0:\n    time.sleep(30)\n    os._exit(0)\nsys.stdout.write('%d\\n' % pid)\nsys.stdout.flush()\ntime.sleep(30)\n";
        using var parent = SleepingProcess.Start(PythonInstalls.PyenvExecutable("3.12")!, ["-c", Script], waitForLine: true);
        var child = int.Parse(parent.FirstLine!, CultureInfo.InvariantCulture);
        var locator = new InterpreterLocator();

        var first = locator.Locate(parent.ProcessId);
        var second = locator.Locate(child);

        Assert.True(first.IsSuccess, first.ToString());
        Assert.True(second.IsSuccess, second.ToString());
        Assert.Equal(child, second.Location.ProcessId);
        Assert.Equal(first.Location.Version, second.Location.Version);
        Assert.Equal(first.Location.RuntimeAddress, second.Location.RuntimeAddress);   // fork keeps the layout
        Assert.Equal(1, locator.ElfCache.ParseCount);
    }

    [TestPythonsFact]
    public void Locate_EveryListedTestPython_MatchesWhatItReportsAboutItself()
    {
        // Debian's static builds (3.9 stripped: version found by scanning .bss; 3.13–3.15 via the debug
        // offsets) next to pyenv's shared ones. Every interpreter is checked; all mismatches are reported.
        var failures = new List<string>();
        var locator = new InterpreterLocator();
        foreach (var executable in TestPythons.List())
        {
            using var python = SleepingProcess.StartPython(executable);
            var result = locator.Locate(python.ProcessId);
            var reported = python.FirstLine!.Split(' ');
            if (!result.IsSuccess)
            {
                failures.Add($"{executable}: {result}");
                continue;
            }
            var location = result.Location;
            var hex = ulong.Parse(reported[0], CultureInfo.InvariantCulture);
            if (location.Version.Hex != hex || location.Version.ToString() != reported[1])
            {
                failures.Add($"{executable}: found {location.Version} (0x{location.Version.Hex:x8}), it says {reported[1]} (0x{hex:x8})");
            }
            var memory = new LinuxProcessMemory(python.ProcessId);
            if (location.Symbol("Py_Version") is { } pyVersion && (!memory.TryReadUInt64(pyVersion, out var declared) || declared != hex))
            {
                failures.Add($"{executable}: Py_Version at 0x{pyVersion:x} does not hold 0x{hex:x8}");
            }
            var expectCookie = location.Version.AtLeast(3, 13);
            if (expectCookie != (location.VersionSource == VersionSource.DebugOffsets))
            {
                failures.Add($"{executable}: version came from {location.VersionSource}");
            }
            if (ProcessMaps.Read(python.ProcessId).Find(location.RuntimeAddress) is not { CanWrite: true })
            {
                failures.Add($"{executable}: _PyRuntime 0x{location.RuntimeAddress:x} is not in a writable mapping");
            }
        }

        Assert.Empty(failures);
    }

    [FileFact("util-linux setpriv and " + DebianHint, "/usr/bin/setpriv", PythonInstalls.DebianPython311)]
    public void Locate_OtherUserWithoutCapSysPtrace_IsPermissionDeniedWithActionableMessage()
    {
        Assert.True(WithoutPtraceCapability.IsPossible, "this test drops CAP_SYS_PTRACE from a root thread; run the tests as root");
        using var python = SleepingProcess.Start(
            "/usr/bin/setpriv",
            ["--reuid=65534", "--regid=65534", "--clear-groups", PythonInstalls.DebianPython311, "-c", "import time; print('ready', flush=True); time.sleep(30)"],
            waitForLine: true);

        var (result, status) = WithoutPtraceCapability.Run(() =>
        {
            var found = new InterpreterLocator().Locate(python.ProcessId);
            var read = new LinuxProcessMemory(python.ProcessId).ReadExact(0x400000, new byte[8]);
            return (found, read);
        });

        Assert.Equal(ReadStatus.PermissionDenied, status);
        Assert.True(result.Error!.Code == TargetErrorKind.PermissionDenied, result.Error.ToString());
        Assert.Contains("target uid 65534", result.Error.Message, StringComparison.Ordinal);
        Assert.Contains("profiler uid 0", result.Error.Message, StringComparison.Ordinal);
        Assert.Contains("profiler lacks CAP_SYS_PTRACE", result.Error.Message, StringComparison.Ordinal);
        Assert.Contains("securityContext.capabilities.add: [SYS_PTRACE]", result.Error.Message, StringComparison.Ordinal);
        Assert.Contains(File.Exists("/proc/sys/kernel/yama/ptrace_scope") ? "kernel.yama.ptrace_scope = " : "Yama is not active", result.Error.Message, StringComparison.Ordinal);
    }

    [FileFact(DebianHint, PythonInstalls.DebianPython311)]
    public void Locate_ExecutableDeletedAfterStart_OpensItThroughProcExe()
    {
        var directory = Directory.CreateTempSubdirectory("pyrometer-deleted-").FullName;
        try
        {
            var copy = Path.Combine(directory, "python3.11");
            File.Copy(PythonInstalls.DebianPython311, copy);   // keeps the execute bits
            using var python = SleepingProcess.StartPython(copy);
            File.Delete(copy);   // as a package upgrade would

            var result = new InterpreterLocator().Locate(python.ProcessId);

            Assert.True(result.IsSuccess, result.ToString());
            Assert.Equal(copy, result.Location.BinaryPath);
            Assert.True(ProcessMaps.Read(python.ProcessId).RegionsOf(copy)[0].IsDeleted);
            AssertReportedVersion(python, result.Location);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [MountNamespaceFact]
    public void Locate_TargetInOtherMountNamespace_OpensLibraryThroughProcRoot()
    {
        // The target sees pyenv's 3.12 under a directory that is empty in our namespace, and its original
        // location is hidden from it, so libpython is mapped under a path only its namespace can resolve.
        var install = PythonInstalls.PyenvDirectory("3.12")!;
        var mountPoint = Directory.CreateTempSubdirectory("pyrometer-mntns-").FullName;
        try
        {
            var script = $"mount --bind '{install}' '{mountPoint}' && mount -t tmpfs none '{install}' && " +
                $"LD_LIBRARY_PATH='{mountPoint}/lib' exec '{mountPoint}/bin/python3.12' -c " +
                "\"import sys, time; sys.stdout.write('%d %s\\n' % (sys.hexversion, sys.version.split()[0])); sys.stdout.flush(); time.sleep(30)\"";
            using var python = SleepingProcess.Start(MountNamespaceFactAttribute.Unshare, ["-m", "--propagation", "private", "sh", "-c", script], waitForLine: true);

            var result = new InterpreterLocator().Locate(python.ProcessId);

            Assert.True(result.IsSuccess, result.ToString());
            Assert.Equal(Path.Combine(mountPoint, "lib", "libpython3.12.so.1.0"), result.Location.BinaryPath);
            Assert.False(File.Exists(result.Location.BinaryPath));   // not reachable from our namespace
            AssertReportedVersion(python, result.Location);
        }
        finally
        {
            Directory.Delete(mountPoint);
        }
    }

    [FileFact("coreutils sleep", "/usr/bin/sleep")]
    public void Locate_SleepProcess_IsNotPythonAndListsMappings()
    {
        using var sleep = SleepingProcess.Start("/usr/bin/sleep", ["30"], waitForLine: false);

        var result = new InterpreterLocator().Locate(sleep.ProcessId);

        Assert.False(result.IsSuccess);
        Assert.Equal(TargetErrorKind.NotPython, result.Error.Code);
        Assert.Contains("does not look like CPython", result.Error.Message, StringComparison.Ordinal);
        Assert.Contains("Mapped files looked at: ", result.Error.Message, StringComparison.Ordinal);
        Assert.Contains("/usr/bin/sleep", result.Error.Message, StringComparison.Ordinal);   // libc may not be mapped yet
    }

    [Fact]
    public void Locate_PidNoProcessCanHave_IsProcessNotFoundMentioningNamespace()
    {
        // PIDs are always below kernel.pid_max, so pid_max itself never names a process.
        var pidMax = int.Parse(File.ReadAllText("/proc/sys/kernel/pid_max").Trim(), CultureInfo.InvariantCulture);

        var result = new InterpreterLocator().Locate(pidMax);

        Assert.False(result.IsSuccess);
        Assert.Equal(TargetErrorKind.ProcessNotFound, result.Error.Code);
        Assert.Contains("PID namespace", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Locate_NonPositivePid_IsProcessNotFound()
    {
        var result = new InterpreterLocator().Locate(0);

        Assert.Equal(TargetErrorKind.ProcessNotFound, result.Error!.Code);
        Assert.Contains("not a valid process ID", result.Error.Message, StringComparison.Ordinal);
    }

    private static void AssertPyenv(string minor, VersionSource expectedSource, Action<InterpreterLocation>? whileRunning = null)
    {
        using var python = SleepingProcess.StartPython(PythonInstalls.PyenvExecutable(minor)!);
        var locator = new InterpreterLocator();

        var result = locator.Locate(python.ProcessId);

        Assert.True(result.IsSuccess, result.ToString());
        var location = result.Location;
        Assert.Equal(python.ProcessId, location.ProcessId);
        Assert.StartsWith($"libpython{minor}", Path.GetFileName(location.BinaryPath), StringComparison.Ordinal);
        Assert.Equal(expectedSource, location.VersionSource);
        AssertReportedVersion(python, location);
        AssertAddressesInBinary(location);
        foreach (var name in (string[])["PyCode_Type", "PyUnicode_Type", "PyBytes_Type", "PyGen_Type", "PyCoro_Type", "PyFrame_Type"])
        {
            Assert.True(location.Symbol(name) is > 0, name);
        }
        Assert.Equal(minor is "3.11" or "3.12" or "3.13", location.Symbol("Py_Version") is not null);

        // Asking again parses nothing new.
        Assert.True(locator.Locate(python.ProcessId).IsSuccess);
        Assert.Equal(1, locator.ElfCache.ParseCount);
        whileRunning?.Invoke(location);
    }

    private static void AssertUnsupported(string minor)
    {
        using var python = SleepingProcess.StartPython(PythonInstalls.PyenvExecutable(minor)!);

        var result = new InterpreterLocator().Locate(python.ProcessId);

        Assert.False(result.IsSuccess);
        Assert.Equal(TargetErrorKind.UnsupportedPython, result.Error.Code);
        Assert.Contains("no _PyRuntime", result.Error.Message, StringComparison.Ordinal);
        Assert.Contains("libpython" + minor, result.Error.Message, StringComparison.Ordinal);
    }

    private static void AssertReportedVersion(SleepingProcess python, InterpreterLocation location)
    {
        // The child printed "<sys.hexversion> <sys.version up to the first space>".
        var parts = python.FirstLine!.Split(' ');
        Assert.Equal(ulong.Parse(parts[0], CultureInfo.InvariantCulture), location.Version.Hex);
        Assert.Equal(parts[1], location.Version.ToString());
    }

    private static void AssertAddressesInBinary(InterpreterLocation location)
    {
        // With the bias right, _PyRuntime lands in a writable mapping of the binary (or the anonymous bss after it).
        var maps = ProcessMaps.Read(location.ProcessId);
        Assert.NotEqual(0UL, location.RuntimeAddress);
        Assert.Equal(location.RuntimeAddress, location.Symbol("_PyRuntime"));
        var region = maps.Find(location.RuntimeAddress);
        Assert.NotNull(region);
        Assert.True(region.CanRead && region.CanWrite, region.ToString());
        Assert.True(region.Path == location.BinaryPath || region.Path.Length == 0, region.ToString());
        var codeType = maps.Find(location.Symbol("PyCode_Type")!.Value);
        Assert.NotNull(codeType);
        Assert.Equal(location.BinaryPath, codeType.Path);
    }
}
