using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Tests.Fakes;

namespace Pyrometer.Sampling.Tests.Python;

/// <summary>Seeded garbage fed to the walker: it must never throw, always finish, and keep its bounds.</summary>
public sealed class StackWalkerRobustnessTests
{
    public static TheoryData<string> Versions => new() { "3.8.18", "3.10.13", "3.11.7", "3.12.1", "3.13.0", "3.14.10", "3.14.10t" };

    [Theory]
    [MemberData(nameof(Versions))]
    public void Sample_MutatedImages_NeverThrowsAndStaysBounded(string versionText)
    {
        var random = new Random(20261121);
        for (var round = 0; round < 60; round++)
        {
            var scene = Scene.TwoThreads(Python.Versions.Parse(versionText));
            var walker = scene.Walker();
            walker.Sample();                                   // warm caches, then corrupt under them
            var heap = scene.Image.Heap;
            var used = (int)Math.Min(heap.Length, 256 << 10);
            for (var i = 0; i < 1 + round; i++)
            {
                var at = random.Next(0, used - 8) & ~7;
                switch (random.Next(4))
                {
                    case 0:
                        heap[at + random.Next(8)] ^= (byte)(1 << random.Next(8));
                        break;
                    case 1:                                    // a pointer somewhere else in the heap
                        BitConverter.TryWriteBytes(heap.AsSpan(at), PythonImageBuilder.HeapBase + (ulong)(random.Next(0, used) & ~7));
                        break;
                    case 2:                                    // a dangling pointer
                        BitConverter.TryWriteBytes(heap.AsSpan(at), 0x6000_0000_0000UL + (ulong)random.Next());
                        break;
                    default:
                        BitConverter.TryWriteBytes(heap.AsSpan(at), random.NextInt64());
                        break;
                }
            }

            for (var sample = 0; sample < 3; sample++)
            {
                var result = walker.Sample();
                Assert.False(result.Error.IsFatal());
                Assert.InRange(result.Threads.Count + result.DroppedThreads, 0, StackWalker.MaxThreads + 1);
                Assert.All(result.Threads, t => Assert.InRange(t.Frames.Count, 0, StackWalker.MaxDepth));
                Assert.InRange(walker.LastSampleCalls, 1, 20_000);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void Sample_RandomHeap_NeverThrows(string versionText)
    {
        var random = new Random(7);
        for (var round = 0; round < 20; round++)
        {
            var image = new PythonImageBuilder(Python.Versions.Parse(versionText), heapBytes: 64 << 10);
            var interp = image.Interpreter();
            random.NextBytes(image.Heap.AsSpan(0, (int)(interp - PythonImageBuilder.HeapBase)));
            random.NextBytes(image.Heap.AsSpan((int)(interp - PythonImageBuilder.HeapBase) + 64));
            // Sprinkle plausible pointers so chains go somewhere before they break.
            for (var i = 0; i < 2000; i++)
            {
                var at = random.Next(0, image.Heap.Length - 8) & ~7;
                BitConverter.TryWriteBytes(image.Heap.AsSpan(at), PythonImageBuilder.HeapBase + (ulong)(random.Next(0, image.Heap.Length) & ~7));
            }
            var walker = new StackWalker(image.Memory, image.Location(), image.Layout);

            var result = walker.Sample();

            Assert.False(result.Error.IsFatal());
            Assert.All(result.Threads, t => Assert.InRange(t.Frames.Count, 0, StackWalker.MaxDepth));
        }
    }

    [Fact]
    public void Sample_ThreadListLongerThanCap_StopsAtCap()
    {
        var image = new PythonImageBuilder(Python.Versions.Parse("3.12.1"), heapBytes: 24 << 20);
        var interp = image.Interpreter();
        var code = image.Code("idle", "idle", "/i.py", 1, [1]);
        var first = image.Thread(interp, 1, [new(code, 0)]);
        // Reuse one thread state's shape: a long list of minimal thread states linked by next.
        for (var i = 0; i < StackWalker.MaxThreads + 5; i++)
        {
            var tstate = image.Alloc(image.Layout.ThreadReadLength + 16);
            image.Span(first, image.Layout.ThreadReadLength).CopyTo(image.Span(tstate, image.Layout.ThreadReadLength));
            image.U64(tstate + (ulong)image.Layout.ThreadFrame, 0);   // idle: chains sharing one base frame are dropped as torn
            image.U64(tstate + (ulong)image.Layout.ThreadNext, image.ReadU64(interp + (ulong)image.Layout.InterpreterThreadsHead));
            image.U64(interp + (ulong)image.Layout.InterpreterThreadsHead, tstate);
        }
        var walker = new StackWalker(image.Memory, image.Location(), image.Layout);

        var result = walker.Sample();

        Assert.Equal(StackWalker.MaxThreads, result.Threads.Count);
        Assert.True(result.DroppedThreads >= 1);
    }
}
