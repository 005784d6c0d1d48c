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

    [Theory]
    [MemberData(nameof(StackWalkerTests.AllVersions), MemberType = typeof(StackWalkerTests))]
    public void Sample_ChainTornIntoANewThreadWhoseOwnChainIsTornToo_IsNotEmittedAsItsOwn(string versionText)
    {
        var (image, interp, main, _, walker) = MainAndWorker(versionText);
        Assert.Equal(2, walker.Sample().Threads.Count);
        var late = image.Thread(interp, 4343, [.. Enumerable.Range(0, 4).Select(i => new FakeFrame(image.Code($"n{i}", $"n{i}", "/app/late.py", i + 1, [i + 1]), 0))]);
        image.Graft(main, 1, late, 2);               // main's chain runs on into the new thread's n2, n3
        image.Tear(late, 1);                         // and the new thread's own ends after n0, n1: dropped

        var sample = walker.Sample();

        // Nobody is known to have n3 yet, and the one thread that may have it was dropped: whose it is cannot be told.
        Assert.DoesNotContain(sample.Threads, t => t.NativeThreadId == image.Memory.ProcessId);
        Assert.Equal(2, sample.DroppedThreads);
    }

    [Theory]
    [MemberData(nameof(StackWalkerTests.AllVersions), MemberType = typeof(StackWalkerTests))]
    public void Sample_ThreadDroppedEveryWalk_StopsHidingNewThreadsAfterItCountsAsBroken(string versionText)
    {
        var (image, interp, _, worker, walker) = MainAndWorker(versionText);
        Assert.Equal(2, walker.Sample().Threads.Count);
        var late = image.Thread(interp, 4343, [.. Enumerable.Range(0, 4).Select(i => new FakeFrame(image.Code($"n{i}", $"n{i}", "/app/late.py", i + 1, [i + 1]), 0))]);
        var broken = image.Thread(interp, 4444, [.. Enumerable.Range(0, 4).Select(i => new FakeFrame(image.Code($"b{i}", $"b{i}", "/app/broken.py", i + 1, [i + 1]), 0))]);
        image.Tear(broken, 1);                       // every walk from now on: never followed to its base

        var hidden = Enumerable.Range(1, FrameChainReader.BrokenAfterWalks - 1)
            .Count(_ => walker.Sample().Threads.All(t => t.NativeThreadId != 4343));
        var sample = walker.Sample();

        Assert.Equal(FrameChainReader.BrokenAfterWalks - 1, hidden);
        Assert.Contains(sample.Threads, t => t.NativeThreadId == 4343);
        Assert.DoesNotContain(sample.Threads, t => t.NativeThreadId == 4444);
    }

    [Theory]
    [MemberData(nameof(StackWalkerTests.AllVersions), MemberType = typeof(StackWalkerTests))]
    public void Sample_ChainTornIntoAThreadWhoseOwnChainIsTornToo_IsDroppedByThatThreadsKnownBase(string versionText)
    {
        var (image, _, main, worker, walker) = MainAndWorker(versionText);
        Assert.Equal(2, walker.Sample().Threads.Count);
        image.Graft(main, 1, worker, 3);
        image.Tear(worker, 1);

        var sample = walker.Sample();

        Assert.Empty(sample.Threads);
        Assert.Equal(2, sample.DroppedThreads);
    }

    [Theory]
    [MemberData(nameof(StackWalkerTests.AllVersions), MemberType = typeof(StackWalkerTests))]
    public void Sample_NewThreadWhileAThreadWithAKnownBaseIsTorn_IsEmitted(string versionText)
    {
        var (image, interp, _, worker, walker) = MainAndWorker(versionText);
        Assert.Equal(2, walker.Sample().Threads.Count);
        var code = image.Code("handle", "handle", "/app/new.py", 1, [1, 2]);
        image.Thread(interp, 4343, [new FakeFrame(code, 0)]);
        image.Tear(worker, 1);

        var sample = walker.Sample();

        Assert.Equal(new[] { 4343, image.Memory.ProcessId }.Order(), sample.Threads.Select(t => t.NativeThreadId).Order());
        Assert.Equal(1, sample.DroppedThreads);
    }

    // A main thread and then a worker, each five frames deep on its own base.
    private static (PythonImageBuilder Image, ulong Interp, ulong Main, ulong Worker, StackWalker Walker) MainAndWorker(string versionText)
    {
        var image = new PythonImageBuilder(Versions.Parse(versionText));
        var interp = image.Interpreter();
        var module = image.Code("<module>", "<module>", "/app/main.py", 1, [1, 2]);
        var bootstrap = image.Code("_bootstrap", "Thread._bootstrap", "/usr/lib/threading.py", 1, [1, 2]);
        var work = Enumerable.Range(0, 5).Select(i => image.Code($"w{i}", $"w{i}", "/app/work.py", 10 * i + 1, [10 * i + 1])).ToArray();
        var main = image.Thread(interp, image.Memory.ProcessId, [.. work.Select(c => new FakeFrame(c, 0)), new FakeFrame(module, 0)]);
        var worker = image.Thread(interp, 4141, [.. work.Select(c => new FakeFrame(c, 0)), new FakeFrame(bootstrap, 0)]);
        return (image, interp, main, worker, new StackWalker(image.Memory, image.Location(), image.Layout));
    }
}
