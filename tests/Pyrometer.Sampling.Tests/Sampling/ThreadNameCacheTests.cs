using Pyrometer.Sampling.Sampling;
using Pyrometer.Sampling.Target;

namespace Pyrometer.Sampling.Tests.Sampling;

public sealed class ThreadNameCacheTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("pyrometer-names-").FullName;

    [Fact]
    public void NameOf_AskedEveryTick_ReadsTheTargetOnlyForNewIdsAndNowAndThen()
    {
        long now = 0;
        var cache = new ThreadNameCache(null, 42, new ProcFs(_root), () => now);

        for (var tick = 0; tick < 1000; tick++)
        {
            cache.NameOf(1, 0);
            cache.NameOf(2, 0);
        }
        Assert.Equal(1, cache.Refreshes);                 // one read for both new ids, not one per tick

        now = 100;
        cache.NameOf(1, 0);
        Assert.Equal(1, cache.Refreshes);                 // too soon after the last read
        for (var step = 1; step <= 5; step++)
        {
            now = 100 + (step * 300);
            cache.NameOf(1, 0);
        }
        Assert.Equal(3, cache.Refreshes);                 // an id without a name is retried twice, then waits

        now = 20_000;
        cache.NameOf(1, 0);
        Assert.Equal(4, cache.Refreshes);                 // every name is read again after MaxAge
    }

    [Fact]
    public void NameOf_NoPythonName_FallsBackToTheKernelsNameWithControlCharactersReplaced()
    {
        var task = Directory.CreateDirectory(Path.Combine(_root, "42", "task", "43")).FullName;
        File.WriteAllText(Path.Combine(task, "comm"), "gunicorn\u0001w\n");
        var cache = new ThreadNameCache(null, 42, new ProcFs(_root), () => 0);

        Assert.Equal("gunicorn?w", cache.NameOf(7, 43));
        Assert.Null(cache.NameOf(8, 44));                 // no such task
        Assert.Null(cache.NameOf(9, 0));                  // no TID known
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
