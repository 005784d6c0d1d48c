using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Tests.Fakes;

namespace Pyrometer.Sampling.Tests.Python;

/// <summary>The reads a sample queues ahead at the last sample's addresses: used when they still fit, replaced when not.</summary>
public sealed class StackWalkerAheadTests
{
    public static TheoryData<string> InterpreterFrameVersions => new() { "3.11.7", "3.12.1", "3.13.0", "3.13.0t", "3.14.10", "3.15.2" };

    public static TheoryData<string> CFrameVersions => new() { "3.11.7", "3.12.1" };

    [Theory]
    [MemberData(nameof(InterpreterFrameVersions))]
    public void Sample_FramesPushedPastTheCopy_ReadsTheChunkAgainThenSettles(string versionText)
    {
        var (scene, walker) = Warm(versionText);
        var run = scene.Image.ReadU64(scene.InnermostFrame(scene.Main) + (ulong)scene.Image.Layout.FrameCode);
        scene.Image.Push(scene.Worker, Enumerable.Repeat(new FakeFrame(StackRefs.ToObject(run), 2), 80).ToArray());

        var moved = walker.Sample();
        var settled = walker.Sample();

        var worker = moved.Threads[0];
        Assert.Equal(83, worker.Frames.Count);
        Assert.All(worker.Frames.Take(80), f => Assert.Equal("run", f.Name));
        Assert.Equal(["работа", "run", "<module>"], worker.Frames.Skip(80).Select(f => f.Name));
        Assert.Equal(2, moved.Calls);                      // the copy ahead ended below the new top: one more call
        Assert.Equal(1, settled.Calls);                    // the next copy ahead reaches the new top
        Assert.Same(worker, settled.Threads[0]);
    }

    [Theory]
    [MemberData(nameof(InterpreterFrameVersions))]
    public void Sample_FramePopped_UsesTheCopyAheadInOneCall(string versionText)
    {
        var (scene, walker) = Warm(versionText);
        scene.Image.Pop(scene.Worker);

        var sample = walker.Sample();

        Assert.Equal(["run", "<module>"], sample.Threads[0].Frames.Select(f => f.Name));
        Assert.Equal(1, sample.Calls);
    }

    [Theory]
    [MemberData(nameof(CFrameVersions))]
    public void Sample_CFrameMoved_IgnoresTheStaleCopyAndReadsTheNewFrame(string versionText)
    {
        var (scene, walker) = Warm(versionText);
        scene.Image.MoveCFrame(scene.Worker);               // the old cframe still names the old innermost frame
        scene.Image.Push(scene.Worker, [new FakeFrame(scene.WorkCode, 0)]);

        var sample = walker.Sample();

        Assert.Equal(["работа", "работа", "run", "<module>"], sample.Threads[0].Frames.Select(f => f.Name));
        Assert.Equal(20, sample.Threads[0].Frames[0].Line);
        Assert.Equal(2, sample.Calls);                     // cframe and chunk again, in that order, in one more call
    }

    [Theory]
    [MemberData(nameof(InterpreterFrameVersions))]
    public void Sample_NewChunk_ReadsFramesOfBothChunksThenSettles(string versionText)
    {
        var (scene, walker) = Warm(versionText);
        scene.Image.Push(scene.Worker, [new FakeFrame(scene.WorkCode, 1)], newChunk: true);

        var moved = walker.Sample();
        var settled = walker.Sample();

        Assert.Equal(["работа", "работа", "run", "<module>"], moved.Threads[0].Frames.Select(f => f.Name));
        Assert.Equal(0, moved.DroppedThreads);
        Assert.Equal(1, settled.Calls);                    // the old chunk's frames are prefetched with the first call now
        Assert.Same(moved.Threads[0], settled.Threads[0]);
    }

    [Theory]
    [MemberData(nameof(InterpreterFrameVersions))]
    public void Sample_ThreadAdded_OthersStillUseTheCopiesAhead(string versionText)
    {
        var (scene, walker) = Warm(versionText);
        scene.Image.Thread(scene.Interpreter, 5000, [new FakeFrame(scene.WorkCode, 3)]);

        var added = walker.Sample();
        var settled = walker.Sample();

        Assert.Equal(3, added.Threads.Count);
        Assert.Equal(23, added.Threads[0].Frames[0].Line);
        Assert.Equal(1, settled.Calls);
    }

    private static (Scene Scene, StackWalker Walker) Warm(string versionText)
    {
        var scene = Scene.TwoThreads(Versions.Parse(versionText));
        var walker = scene.Walker();
        walker.Sample();
        Assert.Equal(1, walker.Sample().Calls);
        return (scene, walker);
    }
}
