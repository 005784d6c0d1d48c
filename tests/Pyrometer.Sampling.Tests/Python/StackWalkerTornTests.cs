using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Tests.Fakes;

namespace Pyrometer.Sampling.Tests.Python;

/// <summary>A frame chain that changes while it is walked is dropped and counted, never emitted cut short (issue #13).</summary>
public sealed class StackWalkerTornTests
{
    [Theory]
    [MemberData(nameof(StackWalkerTests.AllVersions), MemberType = typeof(StackWalkerTests))]
    public void Sample_ChainCutMidWalk_DropsTheThreadAndCountsItTorn(string versionText)
    {
        var image = new PythonImageBuilder(Versions.Parse(versionText));
        var interp = image.Interpreter();
        var codes = Enumerable.Range(0, 5).Select(i => image.Code($"f{i}", $"f{i}", "/app/deep.py", 10 * i + 1, [10 * i + 1, 10 * i + 2])).ToArray();
        var module = image.Code("<module>", "<module>", "/app/main.py", 1, [1, 2]);
        image.Thread(interp, 4242, [.. codes.Select(c => new FakeFrame(c, 1)), new FakeFrame(module, 0)]);
        var main = image.Thread(interp, image.Memory.ProcessId, [.. codes.Select(c => new FakeFrame(c, 0)), new FakeFrame(module, 1)]);
        var walker = new StackWalker(image.Memory, image.Location(), image.Layout);
        var whole = walker.Sample();
        Assert.Equal(2, whole.Threads.Count);
        Assert.All(whole.Threads, t => Assert.Equal("<module>", t.Frames[^1].Name));

        image.Tear(main, 2);                          // the walk now stops after f0, f1, f2
        var sample = walker.Sample();

        Assert.Equal(SampleError.None, sample.Error);
        var survivor = Assert.Single(sample.Threads);
        Assert.Equal(4242, survivor.NativeThreadId);
        Assert.Equal("<module>", survivor.Frames[^1].Name);
        Assert.Equal(1, sample.DroppedThreads);
        Assert.Equal(1, walker.Counters.TornChains);
    }

    [Theory]
    [MemberData(nameof(StackWalkerTests.AllVersions), MemberType = typeof(StackWalkerTests))]
    public void Sample_ThreadWithoutFrames_IsWholeNotTorn(string versionText)
    {
        var image = new PythonImageBuilder(Versions.Parse(versionText));
        var interp = image.Interpreter();
        image.Thread(interp, image.Memory.ProcessId, []);
        var walker = new StackWalker(image.Memory, image.Location(), image.Layout);

        var sample = walker.Sample();

        Assert.Empty(Assert.Single(sample.Threads).Frames);
        Assert.Equal(0, walker.Counters.TornChains);
    }
}
