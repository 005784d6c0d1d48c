using System.Diagnostics;
using System.Text;
using Pyrometer.Sampling.Elf;
using Pyrometer.Sampling.Sampling;
using Pyrometer.Sampling.Target;
using Pyrometer.Sampling.Tests.Live;

namespace Pyrometer.Sampling.Tests.Integration;

/// <summary>
/// Issue #13, bug 5: up to 3.10 the patch level is only in the <c>sys.version</c> text, which the
/// interpreter formats into a static buffer a few milliseconds after start. A process attached
/// before that reported 3.8.0 / 3.9.0. The young state is recreated exactly in a real process: the
/// buffer is blanked (as it is before start-up writes it) while the agent attaches, then put back.
/// </summary>
[Trait("Category", "Integration")]
public sealed class YoungVersionLiveTests
{
    [PythonTheory(MinVersion = "3.8")]
    public async Task Sample_AttachedBeforeSysVersionWasWritten_ReportsTheInterpretersOwnVersion(TestPython python)
    {
        var own = await OwnVersionAsync(python);
        using var process = await PythonProcess.StartAsync(python, "hot_functions");
        var located = new InterpreterLocator().Locate(process.Pid);
        Assert.True(located.IsSuccess, located.Error?.Message);
        // 3.11+ carry the version in Py_Version or the debug offsets, written at build time: nothing to blank.
        using var text = located.Location.VersionSource == VersionSource.VersionText ? VersionBuffer.Blank(located.Location) : null;

        var sampler = PythonProcessProbe.Create().TryAttach(process.Pid, out var error);
        Assert.True(sampler is not null, error?.Message);
        using (sampler)
        {
            if (text is not null)
            {
                Assert.False(sampler.VersionSettled, $"attached as {sampler.Version} with the version text blanked");
                text.Restore();   // start-up goes on: sys.version is written before any Python code runs
            }
            for (var attempt = 0; attempt < 200 && !sampler.VersionSettled; attempt++)
            {
                sampler.Sample([]);
                await Task.Delay(5);
            }

            Assert.True(sampler.VersionSettled);
            Assert.Equal(own, sampler.Version.ToString());
        }
    }

    private static async Task<string> OwnVersionAsync(TestPython python)
    {
        var info = new ProcessStartInfo(python.Path, ["-c", "import platform; print(platform.python_version())"]) { RedirectStandardOutput = true };
        using var child = Process.Start(info)!;
        var output = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        return output.Trim();
    }

    /// <summary>The sys.version text in the interpreter binary's .bss/.data, zeroed through /proc/PID/mem until restored.</summary>
    private sealed class VersionBuffer : IDisposable
    {
        private const int Size = 250;   // the static buffer in Python/getversion.c up to 3.12
        private readonly string _mem;
        private readonly long _address;
        private readonly byte[] _original;
        private bool _restored;

        private VersionBuffer(string mem, long address, byte[] original)
        {
            (_mem, _address, _original) = (mem, address, original);
        }

        public static VersionBuffer Blank(InterpreterLocation location)
        {
            var pid = location.ProcessId;
            var elf = ElfFile.Open($"/proc/{pid}/root{location.BinaryPath}");
            var mem = $"/proc/{pid}/mem";
            var needle = Encoding.ASCII.GetBytes(location.Version.ToString() + " (");
            foreach (var name in (string[])[".bss", ".data"])
            {
                if (elf.FindSection(name) is not { Size: > 0 } section)
                {
                    continue;
                }
                var start = (long)unchecked(section.Address + location.LoadBias);
                var bytes = new byte[(int)Math.Min(section.Size, 8 << 20)];
                using (var stream = new FileStream(mem, FileMode.Open, FileAccess.Read))
                {
                    stream.Position = start;
                    stream.ReadExactly(bytes);
                }
                for (var at = bytes.AsSpan().IndexOf(needle); at >= 0; at = Next(bytes, needle, at))
                {
                    if (at == 0 || bytes[at - 1] == 0)
                    {
                        var buffer = new VersionBuffer(mem, start + at, bytes.AsSpan(at, Math.Min(Size, bytes.Length - at)).ToArray());
                        buffer.Write(new byte[buffer._original.Length]);
                        return buffer;
                    }
                }
            }
            throw new InvalidOperationException($"no '{location.Version} (' text in the .bss or .data of {location.BinaryPath}");
        }

        public void Restore()
        {
            if (!_restored)
            {
                Write(_original);
                _restored = true;
            }
        }

        public void Dispose() => Restore();

        private static int Next(byte[] bytes, byte[] needle, int at)
        {
            var found = bytes.AsSpan(at + 1).IndexOf(needle);
            return found < 0 ? -1 : at + 1 + found;
        }

        private void Write(byte[] data)
        {
            using var stream = new FileStream(_mem, FileMode.Open, FileAccess.Write);
            stream.Position = _address;
            stream.Write(data);
        }
    }
}
