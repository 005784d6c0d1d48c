using Pyrometer.Sampling.Target;
using Pyrometer.Sampling.Tests.Elf;

namespace Pyrometer.Sampling.Tests.Target;

public sealed class ElfCacheTests
{
    [Fact]
    public async Task GetOrOpen_FileSwappedWhileOpening_EntryDescribesTheFileParsed()
    {
        // A target renaming one library over another while the agent opens it: whatever is parsed must
        // be cached under that file's identity, never under the identity of the file it replaced.
        var directory = Directory.CreateTempSubdirectory("pyrometer-elfcache-");
        try
        {
            var small = new TinyElf().Symbol("Py_Version", 1).Build();
            var large = new TinyElf().Section(".data", TinyElf.ProgramBitsType, new byte[8192]).Symbol("Py_Version", 2).Build();
            var path = Path.Combine(directory.FullName, "libpython3.12.so");
            await File.WriteAllBytesAsync(path, small);
            using var stop = new CancellationTokenSource();
            var swapper = Task.Run(() =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var next = Path.Combine(directory.FullName, "next");
                    File.WriteAllBytes(next, i % 2 == 0 ? large : small);
                    File.Move(next, path, overwrite: true);             // atomic: the path always names a whole file
                }
            });

            for (var attempt = 0; attempt < 300; attempt++)
            {
                var elf = new ElfCache().GetOrOpen(path, "/usr/lib/libpython3.12.so", "08:01", 42);

                var expected = elf.SymbolAddress("Py_Version") == 1 ? small.Length : large.Length;
                Assert.Equal(expected, elf.Identity.Length);
            }
            await stop.CancelAsync();
            await swapper;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void GetOrOpen_SameFileTwice_ParsesOnce()
    {
        var directory = Directory.CreateTempSubdirectory("pyrometer-elfcache-");
        try
        {
            var path = Path.Combine(directory.FullName, "libpython3.12.so");
            File.WriteAllBytes(path, new TinyElf().Symbol("_PyRuntime", 0x1000).Build());
            var cache = new ElfCache();

            var first = cache.GetOrOpen(path, "/usr/lib/libpython3.12.so", "08:01", 42);
            var second = cache.GetOrOpen(path, "/usr/lib/libpython3.12.so", "08:01", 42);

            Assert.Same(first, second);
            Assert.Equal(1, cache.ParseCount);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
