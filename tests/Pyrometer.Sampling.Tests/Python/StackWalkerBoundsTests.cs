using System.Buffers.Binary;
using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Tests.Fakes;

namespace Pyrometer.Sampling.Tests.Python;

/// <summary>
/// A hostile target (issue #12, finding 4): sizes, counts and addresses chosen to make the agent
/// allocate, loop or cache without end. The walker must drop and count, stay within its documented
/// bounds, and never throw. Huge images are one pattern mapped over and over (as one memfd mapped at
/// many addresses would be), so they cost the test nothing.
/// </summary>
public sealed class StackWalkerBoundsTests
{
    private const ulong RepeatedBase = 0x6100_0000_0000;

    [Fact]
    public void Sample_ManyCodesWithMegabyteLineTables_AllocatesLittleAndCacheStaysBounded()
    {
        var image = new PythonImageBuilder(Versions.Parse("3.12.1"), heapBytes: 16 << 20);
        var layout = image.Layout;
        // Each period holds a bytes object of PythonStrings.MaxBytes whose payload decodes to 200k
        // ranges (one line each), then "no location" bytes that merge: the largest table accepted.
        var period = (layout.BytesData + PythonStrings.MaxBytes + 4095) & ~4095;
        var pattern = new byte[period];
        BinaryPrimitives.WriteUInt64LittleEndian(pattern.AsSpan(layout.ObjectType), PythonImageBuilder.BytesType);
        BinaryPrimitives.WriteInt64LittleEndian(pattern.AsSpan(layout.BytesSize), PythonStrings.MaxBytes);
        var payload = pattern.AsSpan(layout.BytesData, PythonStrings.MaxBytes);
        payload.Fill(0x80 | 15 << 3);
        for (var i = 0; i < 200_000; i++)
        {
            payload[i * 3] = 0x80 | 11 << 3;         // one-line form: line + 1, two column bytes
            payload[i * 3 + 1] = 0;
            payload[i * 3 + 2] = 0;
        }
        const int codes = 100;
        image.Memory.MapRepeated(RepeatedBase, (ulong)period * codes, pattern);
        var interp = image.Interpreter();
        var frames = new List<FakeFrame>();
        for (var i = 0; i < codes; i++)
        {
            var code = image.Code("f" + i, "f" + i, "/app/huge.py", 1, [1, 1]);
            image.U64(code + (ulong)layout.CodeLineTable, RepeatedBase + (ulong)(i * period));
            frames.Add(new FakeFrame(code, 0));
        }
        image.Thread(interp, image.Memory.ProcessId, frames);
        var walker = new StackWalker(image.Memory, image.Location(), image.Layout);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var first = walker.Sample();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Before the bounds: every table was read (100 MiB) and decoded (≈5 MiB each) in this one sample.
        Assert.InRange(allocated, 0, 48L << 20);
        Assert.False(first.Error.IsFatal());
        Assert.Equal(1, first.DroppedThreads);       // its code objects are not all resolved yet
        Assert.True(walker.Counters.DeferredCodes > 0);
        for (var sample = 0; sample < 60; sample++)
        {
            var result = walker.Sample();
            Assert.False(result.Error.IsFatal());
            Assert.InRange(walker.CachedCodeBytes, 0, CodeObjectReader.MaxCacheBytes);
            Assert.InRange(walker.CachedCodes, 0, StackWalker.MaxCachedCodes);
        }
        Assert.True(walker.Counters.CodeCacheEvictions > 0);   // 100 × ≈2.7 MiB does not fit in 64 MiB
    }

    [Theory]
    [InlineData("line table", 0x7fff_ffffL)]
    [InlineData("line table", -1L)]
    [InlineData("line table", long.MinValue)]
    [InlineData("name", 0x7fff_ffffL)]
    [InlineData("name", -5L)]
    [InlineData("name", 1L << 62)]
    public void Sample_AbsurdSizeInCodeObject_DropsTheThreadWithoutAllocating(string field, long size)
    {
        var image = new PythonImageBuilder(Versions.Parse("3.12.1"));
        var layout = image.Layout;
        var interp = image.Interpreter();
        var code = image.Code("victim", "victim", "/app/v.py", 1, [1, 1]);
        var sized = field == "name"
            ? image.ReadU64(code + (ulong)layout.CodeName) + (ulong)layout.UnicodeLength
            : image.ReadU64(code + (ulong)layout.CodeLineTable) + (ulong)layout.BytesSize;
        image.U64(sized, unchecked((ulong)size));
        image.Thread(interp, image.Memory.ProcessId, [new FakeFrame(code, 0)]);
        var walker = new StackWalker(image.Memory, image.Location(), image.Layout);
        walker.Sample();                              // warm up: first-use allocations of the walker itself

        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = walker.Sample();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(SampleError.None, result.Error);
        Assert.Empty(result.Threads);
        Assert.Equal(1, result.DroppedThreads);
        Assert.InRange(allocated, 0, 256 << 10);
        Assert.True(walker.Counters.InvalidCodes > 0);
    }

    [Fact]
    public void Sample_NewCodeAddressesEverySample_CacheStaysWithinItsBounds()
    {
        var image = new PythonImageBuilder(Versions.Parse("3.12.1"), heapBytes: 4 << 20);
        var layout = image.Layout;
        // A template code object; copies of it at ever new addresses share its names and line table.
        var template = image.Code("spin", "Loop.spin", "/app/loop.py", 7, [7, 8, 9, 9]);
        var period = (layout.CodeSize + 16 + 63) & ~63;
        var pattern = image.Span(template, period).ToArray();
        const int perSample = 256;
        const int samples = 80;                      // 20 480 distinct code objects, more than the cache holds
        image.Memory.MapRepeated(RepeatedBase, (ulong)period * perSample * samples, pattern);
        var interp = image.Interpreter();
        var frames = Enumerable.Range(0, perSample).Select(i => new FakeFrame(RepeatedBase + (ulong)(i * period), 1)).ToList();
        var tstate = image.Thread(interp, image.Memory.ProcessId, frames);
        var walker = new StackWalker(image.Memory, image.Location(), image.Layout);
        var resolved = 0;

        for (var sample = 0; sample < samples; sample++)
        {
            MoveCodes(image, tstate, RepeatedBase + (ulong)(sample * perSample * period), period);
            var result = walker.Sample();

            Assert.False(result.Error.IsFatal());
            Assert.InRange(walker.CachedCodes, 0, StackWalker.MaxCachedCodes);
            Assert.InRange(walker.CachedCodeBytes, 0, CodeObjectReader.MaxCacheBytes);
            resolved += result.Threads.Count;
        }
        Assert.Equal(samples, resolved);             // each sample's 256 new code objects fit its budget
        Assert.True(walker.Counters.CodeCacheEvictions > 0);
    }

    [Fact]
    public void Sample_ManyThreadsOnOneDeepChain_FramesAndCallsPerSampleBounded()
    {
        // 3.10: frame objects on the heap, each read with a call of its own the first time.
        var image = new PythonImageBuilder(Versions.Parse("3.10.13"), heapBytes: 24 << 20);
        var layout = image.Layout;
        var interp = image.Interpreter();
        var code = image.Code("deep", "deep", "/app/deep.py", 1, [1, 1]);
        var first = image.Thread(interp, image.Memory.ProcessId, Enumerable.Repeat(new FakeFrame(code, 0), 4000).ToList());
        for (var i = 0; i < 39; i++)
        {
            // More thread states pointing at the same 4000-frame chain: 160 000 frames to follow.
            var tstate = image.Alloc(layout.ThreadReadLength + 16);
            image.Span(first, layout.ThreadReadLength).CopyTo(image.Span(tstate, layout.ThreadReadLength));
            image.U64(tstate + (ulong)layout.ThreadNext, image.ReadU64(interp + (ulong)layout.InterpreterThreadsHead));
            image.U64(interp + (ulong)layout.InterpreterThreadsHead, tstate);
        }
        var walker = new StackWalker(image.Memory, image.Location(), image.Layout);

        for (var sample = 0; sample < 3; sample++)
        {
            var result = walker.Sample();

            Assert.False(result.Error.IsFatal());
            Assert.InRange(result.Threads.Sum(t => t.Frames.Count), 1, StackWalker.MaxFramesPerSample);
            Assert.InRange(walker.LastSampleCalls, 1, StackWalker.MaxSingleFrameReadsPerSample + 64);
            Assert.True(result.TruncatedThreads > 0);
        }
        Assert.True(walker.Counters.BudgetTruncations > 0);
    }

    // Points the thread's frames (in its chunk, innermost first) at fresh copies of the code object.
    private static void MoveCodes(PythonImageBuilder image, ulong tstate, ulong firstCode, int period)
    {
        var layout = image.Layout;
        var cframe = image.ReadU64(tstate + (ulong)layout.ThreadFrame);
        var frame = image.ReadU64(cframe + (ulong)layout.CFrameCurrentFrame);
        for (var i = 0; frame != 0; i++)
        {
            var code = firstCode + (ulong)(i * period);
            image.U64(frame + (ulong)layout.FrameCode, code);
            image.U64(frame + (ulong)layout.FrameInstruction, code + (ulong)layout.CodeAdaptive + 2);
            frame = image.ReadU64(frame + (ulong)layout.FramePrevious);
        }
    }
}
