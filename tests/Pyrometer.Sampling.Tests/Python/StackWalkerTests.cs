using Pyrometer.Sampling.Memory;
using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Tests.Fakes;

namespace Pyrometer.Sampling.Tests.Python;

public sealed class StackWalkerTests
{
    public static TheoryData<string> AllVersions => new()
    {
        "3.8.18", "3.9.18", "3.10.13", "3.11.7", "3.12.1", "3.13.0", "3.13.0t", "3.14.10", "3.14.10t", "3.15.2",
    };

    public static TheoryData<string> InterpreterFrameVersions => new() { "3.11.7", "3.12.1", "3.13.0", "3.14.10", "3.15.2" };

    [Theory]
    [MemberData(nameof(AllVersions))]
    public void Sample_TwoThreads_ReturnsExactStacks(string versionText)
    {
        var scene = Scene.TwoThreads(Versions.Parse(versionText));
        var walker = scene.Walker();

        var sample = walker.Sample();

        Assert.Equal(SampleError.None, sample.Error);
        Assert.Equal(0, sample.DroppedThreads);
        Assert.Equal(2, sample.Threads.Count);
        var qualified = scene.Image.Layout.CodeQualname >= 0;
        var worker = sample.Threads[0];                  // newest thread first, as CPython links them
        Assert.Equal(4243, worker.NativeThreadId);
        Assert.True(worker.HoldsGil);
        Assert.Equal(
            [
                new PythonFrame("работа", qualified ? "Worker.работа" : "работа", "/app/wörk_😀.py", 22),
                new PythonFrame("run", qualified ? "Server.run" : "run", "/app/server.py", 11),
                new PythonFrame("<module>", "<module>", "/app/main.py", 1),
            ],
            worker.Frames);
        var main = sample.Threads[1];
        Assert.Equal(scene.Image.Memory.ProcessId, main.NativeThreadId);
        Assert.False(main.HoldsGil);
        Assert.Equal(
            [
                new PythonFrame("run", qualified ? "Server.run" : "run", "/app/server.py", 12),
                new PythonFrame("<module>", "<module>", "/app/main.py", 5),
            ],
            main.Frames);
        Assert.NotEqual(worker.ThreadId, main.ThreadId);
    }

    [Theory]
    [MemberData(nameof(AllVersions))]
    public void Sample_TwoThreadsFiftyFramesSteadyState_AtMostEightCalls(string versionText)
    {
        var image = new PythonImageBuilder(Versions.Parse(versionText));
        var interp = image.Interpreter();
        var codes = Enumerable.Range(0, 50)
            .Select(i => image.Code($"f{i}", $"Mod.f{i}", $"/app/m{i % 7}.py", 100 * i + 1, [100 * i + 1, 100 * i + 2, 100 * i + 3, 100 * i + 4]))
            .ToArray();
        image.Thread(interp, image.Memory.ProcessId, codes.Select((c, i) => new FakeFrame(c, i % 4)).ToArray());
        image.Thread(interp, 7001, codes.Reverse().Select((c, i) => new FakeFrame(c, (i + 1) % 4)).ToArray());
        var walker = new StackWalker(image.Memory, image.Location(), image.Layout);

        var first = walker.Sample();
        var second = walker.Sample();
        var third = walker.Sample();

        Assert.Equal(SampleError.None, second.Error);
        Assert.All(second.Threads, t => Assert.Equal(50, t.Frames.Count));
        Assert.Equal("f0", second.Threads[1].Frames[0].Name);
        Assert.Equal(203, second.Threads[1].Frames[2].Line);
        Assert.InRange(second.Calls, 1, 8);
        Assert.InRange(third.Calls, 1, 8);
        Assert.True(first.Calls > second.Calls, $"the first sample resolves everything ({first.Calls} calls)");
        Assert.Same(second.Threads[0], third.Threads[0]);   // unchanged stack: the same instance, no allocation
        Assert.Equal(third.Calls, walker.LastSampleCalls);
    }

    [Theory]
    [InlineData("3.12.1")]
    [InlineData("3.13.0")]
    [InlineData("3.14.10")]
    [InlineData("3.15.2")]
    public void Sample_OwnerThreeShimFrames_AreSkipped(string versionText)
    {
        var image = new PythonImageBuilder(Versions.Parse(versionText));
        var interp = image.Interpreter();
        var inner = image.Code("inner", "inner", "/a.py", 5, [5, 6]);
        var outer = image.Code("outer", "outer", "/a.py", 1, [1, 2]);
        var owner = image.Version.Minor == 14 ? 4 : 3;
        image.Thread(interp, 10, [new(inner, 1), new(0, 0, Owner: owner), new(outer, 0), new(0, 0, Owner: 3)]);
        var walker = new StackWalker(image.Memory, image.Location(), image.Layout);

        var sample = walker.Sample();

        var thread = Assert.Single(sample.Threads);
        Assert.Equal(["inner:6", "outer:1"], thread.Frames.Select(f => $"{f.Name}:{f.Line}"));
    }

    [Theory]
    [MemberData(nameof(InterpreterFrameVersions))]
    public void Sample_GeneratorFrameOutsideChunk_IsResolvedAndPrefetchedNextTime(string versionText)
    {
        var image = new PythonImageBuilder(Versions.Parse(versionText));
        var interp = image.Interpreter();
        var gen = image.Code("produce", "Feed.produce", "/g.py", 3, [3, 4, 5]);
        var consumer = image.Code("consume", "consume", "/g.py", 10, [10, 11]);
        image.Thread(interp, 10, [new(gen, 2, Owner: 1, Generator: true), new(consumer, 1)]);
        var walker = new StackWalker(image.Memory, image.Location(), image.Layout);

        var first = walker.Sample();
        var second = walker.Sample();

        var thread = Assert.Single(second.Threads);
        Assert.Equal(["produce:5", "consume:11"], thread.Frames.Select(f => $"{f.Name}:{f.Line}"));
        Assert.Same(first.Threads[0], thread);
        Assert.InRange(second.Calls, 1, 4);
    }

    [Theory]
    [MemberData(nameof(AllVersions))]
    public void Sample_FrameCycle_DropsThreadAndCounts(string versionText)
    {
        var scene = Scene.TwoThreads(Versions.Parse(versionText));
        var layout = scene.Image.Layout;
        var innermost = scene.InnermostFrame(scene.Worker);
        scene.Image.U64(innermost + (ulong)layout.FramePrevious, innermost);   // f_back/previous points at itself
        var walker = scene.Walker();

        var sample = walker.Sample();

        Assert.Equal(SampleError.None, sample.Error);
        Assert.Equal(1, sample.DroppedThreads);
        Assert.Equal(scene.Image.Memory.ProcessId, Assert.Single(sample.Threads).NativeThreadId);
        Assert.Equal(1, walker.Counters.DroppedThreads);
    }

    [Theory]
    [MemberData(nameof(AllVersions))]
    public void Sample_CodeWithWrongType_DropsThread(string versionText)
    {
        var scene = Scene.TwoThreads(Versions.Parse(versionText));
        scene.Image.U64(scene.WorkCode + (ulong)scene.Image.Layout.ObjectType, PythonImageBuilder.BytesType);
        var walker = scene.Walker();

        var sample = walker.Sample();

        Assert.Equal(1, sample.DroppedThreads);
        Assert.Equal("run", Assert.Single(sample.Threads).Frames[0].Name);
    }

    [Theory]
    [MemberData(nameof(AllVersions))]
    public void Sample_NameNotAString_DropsThread(string versionText)
    {
        var scene = Scene.TwoThreads(Versions.Parse(versionText));
        var name = scene.Image.ReadU64(scene.WorkCode + (ulong)scene.Image.Layout.CodeName);
        scene.Image.U64(name + (ulong)scene.Image.Layout.UnicodeLength, 1_000_000);   // absurd length
        var walker = scene.Walker();

        var sample = walker.Sample();

        Assert.Equal(1, sample.DroppedThreads);
        Assert.Single(sample.Threads);
    }

    [Theory]
    [MemberData(nameof(AllVersions))]
    public void Sample_ThreadStateWithWrongInterpreter_IsDropped(string versionText)
    {
        var scene = Scene.TwoThreads(Versions.Parse(versionText));
        scene.Image.U64(scene.Main + (ulong)scene.Image.Layout.ThreadInterp, 0xdead_beef_0000);
        var walker = scene.Walker();

        var sample = walker.Sample();

        Assert.Equal(1, sample.DroppedThreads);
        Assert.Equal("работа", Assert.Single(sample.Threads).Frames[0].Name);
    }

    [Theory]
    [MemberData(nameof(AllVersions))]
    public void Sample_DanglingFramePointer_DropsThreadAsTorn(string versionText)
    {
        var scene = Scene.TwoThreads(Versions.Parse(versionText));
        var innermost = scene.InnermostFrame(scene.Worker);
        scene.Image.U64(innermost + (ulong)scene.Image.Layout.FramePrevious, 0x6000_0000_0000);   // unmapped
        var walker = scene.Walker();

        var sample = walker.Sample();

        Assert.Equal(SampleError.None, sample.Error);
        Assert.Equal(1, sample.DroppedThreads);
    }

    [Theory]
    [InlineData("3.9.18")]
    [InlineData("3.11.7")]
    [InlineData("3.14.10")]
    public void Sample_InstructionOutsideCode_DropsThread(string versionText)
    {
        var image = new PythonImageBuilder(Versions.Parse(versionText));
        var interp = image.Interpreter();
        var code = image.Code("f", "f", "/f.py", 1, [1, 2, 3]);
        image.Thread(interp, 10, [new(code, 3)]);                              // one past the last unit
        var walker = new StackWalker(image.Memory, image.Location(), image.Layout);

        var sample = walker.Sample();

        Assert.Empty(sample.Threads);
        Assert.Equal(1, sample.DroppedThreads);
    }

    [Theory]
    [InlineData("3.14.10")]
    [InlineData("3.15.2")]
    public void Sample_TaggedIntAsExecutable_DropsThread(string versionText)
    {
        var image = new PythonImageBuilder(Versions.Parse(versionText));
        var interp = image.Interpreter();
        var code = image.Code("f", "f", "/f.py", 1, [1, 2, 3]);
        var tstate = image.Thread(interp, 10, [new(code, 1)]);
        var frame = image.ReadU64(tstate + (ulong)image.Layout.ThreadFrame);
        image.U64(frame + (ulong)image.Layout.FrameCode, code | 3);           // (bits & 3) == 3: a tagged int
        var walker = new StackWalker(image.Memory, image.Location(), image.Layout);

        Assert.Equal(1, walker.Sample().DroppedThreads);
    }

    [Theory]
    [MemberData(nameof(AllVersions))]
    public void Sample_DeeperThanCap_TruncatesAndReports(string versionText)
    {
        var image = new PythonImageBuilder(Versions.Parse(versionText), heapBytes: 32 << 20);
        var interp = image.Interpreter();
        var code = image.Code("recurse", "recurse", "/r.py", 1, [1, 2]);
        image.Thread(interp, 10, Enumerable.Repeat(new FakeFrame(code, 1), StackWalker.MaxDepth + 10).ToArray());
        var walker = new StackWalker(image.Memory, image.Location(), image.Layout);

        var sample = walker.Sample();

        Assert.Equal(StackWalker.MaxDepth, Assert.Single(sample.Threads).Frames.Count);
        Assert.Equal(1, sample.TruncatedThreads);
        Assert.Equal(1, walker.Counters.TruncatedThreads);
    }

    [Theory]
    [InlineData("3.10.13")]
    [InlineData("3.12.1")]
    [InlineData("3.13.0")]
    public void Sample_CodeObjectReplacedAtSameAddress_ShowsNewName(string versionText)
    {
        var scene = Scene.TwoThreads(Versions.Parse(versionText));
        var walker = scene.Walker();
        walker.Sample();
        scene.Image.U64(scene.WorkCode + (ulong)scene.Image.Layout.CodeName, scene.Image.Str("replacement"));

        var sample = walker.Sample();

        Assert.Equal("replacement", sample.Threads[0].Frames[0].Name);
        Assert.Equal(1, walker.Counters.CodeCacheInvalidations);
    }

    [Theory]
    [InlineData("3.14.10")]
    [InlineData("3.15.2")]
    public void Sample_CodeGenerationUnchanged_SkipsFingerprintsAndChangedGenerationFlushes(string versionText)
    {
        var scene = Scene.TwoThreads(Versions.Parse(versionText));
        var walker = scene.Walker();
        walker.Sample();
        var steady = walker.Sample();
        scene.Image.U64(scene.WorkCode + (ulong)scene.Image.Layout.CodeName, scene.Image.Str("replacement"));
        var stale = walker.Sample();
        scene.Image.SetCodeGeneration(scene.Interpreter, 1);

        var fresh = walker.Sample();

        Assert.Equal(1, steady.Calls);                   // interpreters, thread states and chunks together: nothing else
        Assert.Equal("работа", stale.Threads[0].Frames[0].Name);   // generation unchanged means no code was freed
        Assert.Equal("replacement", fresh.Threads[0].Frames[0].Name);
    }

    [Fact]
    public void Sample_ProcessGone_IsFatal()
    {
        var scene = Scene.TwoThreads(Versions.Parse("3.12.1"));
        var walker = scene.Walker();
        scene.Image.Memory.FailWith = ReadStatus.ProcessGone;

        var sample = walker.Sample();

        Assert.Equal(SampleError.ProcessGone, sample.Error);
        Assert.True(sample.Error.IsFatal());
        Assert.Equal(1, walker.Counters.FailedSamples);
    }

    [Fact]
    public void Sample_PermissionDenied_IsFatal()
    {
        var scene = Scene.TwoThreads(Versions.Parse("3.9.18"));
        scene.Image.Memory.FailWith = ReadStatus.PermissionDenied;

        var sample = scene.Walker().Sample();

        Assert.Equal(SampleError.PermissionDenied, sample.Error);
        Assert.True(sample.Error.IsFatal());
    }

    [Theory]
    [MemberData(nameof(AllVersions))]
    public void Sample_NoInterpreterYet_ReportsNonFatal(string versionText)
    {
        var image = new PythonImageBuilder(Versions.Parse(versionText));
        var walker = new StackWalker(image.Memory, image.Location(), image.Layout);

        var sample = walker.Sample();

        Assert.Equal(SampleError.NoInterpreter, sample.Error);
        Assert.False(sample.Error.IsFatal());
        Assert.Empty(sample.Threads);
    }

    [Theory]
    [InlineData("3.9.18")]
    [InlineData("3.12.1")]
    [InlineData("3.14.10")]
    public void Sample_ThreadAddedAndInterpreterAdded_FollowsNewLists(string versionText)
    {
        var scene = Scene.TwoThreads(Versions.Parse(versionText));
        var walker = scene.Walker();
        walker.Sample();
        var image = scene.Image;
        var extra = image.Code("late", "late", "/late.py", 1, [1, 2]);
        image.Thread(scene.Interpreter, 5000, [new(extra, 1)]);
        var sub = image.Interpreter();
        image.Thread(sub, 6000, [new(extra, 0)]);

        var sample = walker.Sample();

        Assert.Equal(0, sample.DroppedThreads);
        Assert.Equal(["late", "late", "run", "работа"], sample.Threads.Select(t => t.Frames[0].Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Sample_EmptyThreadList_ReturnsNoThreads()
    {
        var image = new PythonImageBuilder(Versions.Parse("3.11.7"));
        image.Interpreter();
        var sample = new StackWalker(image.Memory, image.Location(), image.Layout).Sample();

        Assert.Equal(SampleError.None, sample.Error);
        Assert.Empty(sample.Threads);
    }

    [Fact]
    public void Sample_314FreeThreadedThreadLocalBytecode_ResolvesLineFromTheCopy()
    {
        var image = new PythonImageBuilder(Versions.Parse("3.14.10t"));
        var interp = image.Interpreter();
        var code = image.Code("tlbc", "tlbc", "/t.py", 1, [1, 2, 3, 4]);
        var tstate = image.Thread(interp, 10, [new(code, 0)]);
        var frame = image.ReadU64(tstate + (ulong)image.Layout.ThreadFrame);
        var copy = image.Alloc(8);
        var array = image.Alloc(24);                       // _PyCodeArray: size, then entries from +8
        image.U64(array, 2);
        image.U64(array + 8, code + (ulong)image.Layout.CodeAdaptive);
        image.U64(array + 16, copy);
        image.U64(code + (ulong)image.Layout.CodeTlbc, array);
        image.I32(frame + (ulong)image.Layout.FrameTlbcIndex, 1);
        image.U64(frame + (ulong)image.Layout.FrameInstruction, copy + 4);   // unit 2 of thread 1's copy
        var walker = new StackWalker(image.Memory, image.Location(), image.Layout);

        var sample = walker.Sample();

        Assert.Equal(3, Assert.Single(sample.Threads).Frames[0].Line);
    }

    [Fact]
    public void Sample_314FreeThreadedTlbcIndexBeyondArray_DropsThread()
    {
        var image = new PythonImageBuilder(Versions.Parse("3.14.10t"));
        var interp = image.Interpreter();
        var code = image.Code("tlbc", "tlbc", "/t.py", 1, [1, 2]);
        var tstate = image.Thread(interp, 10, [new(code, 0)]);
        var frame = image.ReadU64(tstate + (ulong)image.Layout.ThreadFrame);
        var array = image.Alloc(16);
        image.U64(array, 1);
        image.U64(code + (ulong)image.Layout.CodeTlbc, array);
        image.I32(frame + (ulong)image.Layout.FrameTlbcIndex, 5);
        var walker = new StackWalker(image.Memory, image.Location(), image.Layout);

        Assert.Equal(1, walker.Sample().DroppedThreads);
    }

    [Theory]
    [MemberData(nameof(AllVersions))]
    public void Sample_SteadyState_OneCall(string versionText)
    {
        var scene = Scene.TwoThreads(Versions.Parse(versionText));
        var walker = scene.Walker();
        var first = walker.Sample();
        walker.Sample();

        var steady = walker.Sample();

        // Thread states, frames and code fingerprints all ride with the interpreters.
        Assert.Equal(1, steady.Calls);
        Assert.Equal(SampleError.None, steady.Error);
        Assert.Equal(first.Threads.Select(t => t.Frames), steady.Threads.Select(t => t.Frames));
    }

    [Theory]
    [MemberData(nameof(AllVersions))]
    public void Sample_SteadyState_AllocatesAlmostNothing(string versionText)
    {
        var scene = Scene.TwoThreads(Versions.Parse(versionText));
        var walker = scene.Walker();
        for (var i = 0; i < 3; i++)
        {
            walker.Sample();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var sample = walker.Sample();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(2, sample.Threads.Count);
        // The result list and record only: frames, stacks and buffers are all reused.
        Assert.InRange(allocated, 0, 512);
    }
}
