using Pyrometer.Sampling.Tests.Live;

namespace Pyrometer.Sampling.Tests.Integration;

/// <summary>Thread names read from the target's threading module, on every interpreter installed.</summary>
[Trait("Category", "Integration")]
public sealed class ThreadNameLiveTests
{
    [PythonTheory]
    public async Task ThreadName_NamedThreads_ExactlyAsTheScriptNamedThem(TestPython python)
    {
        using var target = await LiveTarget.StartAsync(python, "many_threads", "--threads", "6", "--mode", "sleep");
        var oracle = await target.Process.DumpAsync();
        var ids = oracle.Threads.Select(t => t.NativeId).ToArray();

        var stacks = await target.SampleWithThreadsAsync(ids);

        foreach (var expected in oracle.Threads)
        {
            var stack = LiveTarget.Thread(stacks, expected.NativeId);
            Assert.Equal(expected.Name, target.Sampler.ThreadName(stack));
        }
        Assert.Contains(oracle.Threads, t => t.Name == "MainThread");
        Assert.Contains(oracle.Threads, t => t.Name == "worker-5");
    }
}
