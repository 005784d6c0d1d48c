using Pyrometer.Sampling.Memory;
using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Tests.Fakes;

namespace Pyrometer.Sampling.Tests.Python;

public sealed class ReadBatchTests
{
    [Fact]
    public void Execute_AllMapped_OneCall()
    {
        var memory = new FakeProcessMemory();
        memory.Map(0x1000, [1, 2, 3, 4, 5, 6, 7, 8]);
        var batch = new ReadBatch();
        var a = batch.Add(0x1000, 2);
        var b = batch.Add(0x1006, 2);

        Assert.Equal(ReadStatus.Ok, batch.Execute(memory));

        Assert.Equal(1, memory.CallCount);
        Assert.True(batch.TryGet(a, out var first));
        Assert.Equal([1, 2], first.ToArray());
        Assert.True(batch.TryGet(b, out var second));
        Assert.Equal([7, 8], second.ToArray());
    }

    [Fact]
    public void Execute_MiddleSpanUnmapped_SkipsItAndReadsTheRest()
    {
        var memory = new FakeProcessMemory();
        memory.Map(0x1000, [1, 2, 3, 4]);
        var batch = new ReadBatch();
        var a = batch.Add(0x1000, 2);
        var bad = batch.Add(0x9000, 4);
        var straddling = batch.Add(0x1002, 4);   // runs past the end of the region
        var c = batch.Add(0x1003, 1);

        Assert.Equal(ReadStatus.Ok, batch.Execute(memory));

        Assert.True(batch.TryGet(a, out _));
        Assert.False(batch.TryGet(bad, out _));
        Assert.False(batch.TryGet(straddling, out _));
        Assert.True(batch.TryGet(c, out var last));
        Assert.Equal(4, last[0]);
        Assert.Equal(2, memory.CallCount);         // the three spans near 0x1000 share one iovec
    }

    [Fact]
    public void Execute_SpansOnSamePageOrNeighbours_MergeIntoOneIovec()
    {
        var memory = new FakeProcessMemory();
        memory.Map(0x10000, new byte[0x4000]);
        memory.Write(0x10ff0, [9]);
        var batch = new ReadBatch();
        var late = batch.Add(0x11010, 8);          // next page, 32 bytes after the first span ends
        var early = batch.Add(0x10ff0, 8);
        var overlapping = batch.Add(0x10ff4, 8);
        var far = batch.Add(0x13000, 8);           // two pages on: its own iovec

        batch.Execute(memory);

        Assert.Equal(2, batch.LastIovecCount);
        Assert.Equal(1, memory.CallCount);
        Assert.True(batch.TryGet(early, out var first));
        Assert.Equal(9, first[0]);
        Assert.True(batch.TryGet(late, out _));
        Assert.True(batch.TryGet(overlapping, out _));
        Assert.True(batch.TryGet(far, out _));
    }

    [Fact]
    public void Execute_ZeroLengthSpan_AlwaysArrivesWithoutAnIovec()
    {
        var memory = new FakeProcessMemory();
        var batch = new ReadBatch();
        var empty = batch.Add(0xdead_0000, 0);

        Assert.Equal(ReadStatus.Ok, batch.Execute(memory));

        Assert.True(batch.TryGet(empty, out var data));
        Assert.True(data.IsEmpty);
        Assert.Equal(0, memory.CallCount);
    }

    [Fact]
    public void Execute_ProcessGone_ReturnsFatalStatus()
    {
        var memory = new FakeProcessMemory { FailWith = ReadStatus.ProcessGone };
        var batch = new ReadBatch();
        batch.Add(0x1000, 8);

        Assert.Equal(ReadStatus.ProcessGone, batch.Execute(memory));
    }

    [Fact]
    public void Execute_MoreSpansThanIovMax_SplitsCalls()
    {
        var memory = new FakeProcessMemory();
        memory.Map(0x1000, new byte[4096]);
        var batch = new ReadBatch();
        memory.Map(0x100000, new byte[(ReadBatch.MaxSpansPerCall + 1) * 0x2000]);
        for (var i = 0; i < ReadBatch.MaxSpansPerCall + 1; i++)
        {
            batch.Add(0x100000 + (ulong)i * 0x2000, 1);   // every other page: nothing merges
        }

        batch.Execute(memory);

        Assert.Equal(2, memory.CallCount);
        Assert.Equal(ReadBatch.MaxSpansPerCall + 1, batch.LastIovecCount);
        Assert.True(batch.TryGet(ReadBatch.MaxSpansPerCall, out _));
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(0x10UL)]
    [InlineData(0xffff_ffff_ffff_fff0UL)]
    [InlineData(0x0200_0000_0000_0000UL)]
    public void Execute_ImpossibleAddress_FailsWithoutACall(ulong address)
    {
        var memory = new FakeProcessMemory();
        var batch = new ReadBatch();
        var bad = batch.Add(address, 32);

        Assert.Equal(ReadStatus.Ok, batch.Execute(memory));

        Assert.False(batch.TryGet(bad, out _));
        Assert.Equal(0, memory.CallCount);
    }

    [Fact]
    public void Execute_Groups_IssuedInTheOrderTheirFirstSpanWasQueued()
    {
        var memory = new FakeProcessMemory();
        memory.Map(0x10000, new byte[0x10000]);
        var batch = new ReadBatch();
        batch.Add(0x1c000, 8);                     // a pointer, queued first, at a high address
        batch.Add(0x12000, 64);                    // the memory it points into, lower down
        batch.Add(0x1c010, 8);                     // joins the first group

        batch.Execute(memory);

        Assert.Equal([0x1c000UL, 0x12000UL], memory.LastSpans.Select(s => s.Address));
        Assert.Equal(0x18, memory.LastSpans[0].Length);
    }

    [Fact]
    public void Execute_ManyGroupsOutOfOrder_IssuedInFirstQueuedOrderWithRightData()
    {
        var memory = new FakeProcessMemory();
        memory.Map(0x100000, new byte[40 * 0x2000]);
        var batch = new ReadBatch();
        var order = Enumerable.Range(0, 40).Select(i => (i * 17) % 40).ToArray();   // a permutation, past insertion sort's limit
        foreach (var page in order)
        {
            memory.Write(0x100000 + (ulong)page * 0x2000, [(byte)page]);
        }
        var indices = order.Select(page => batch.Add(0x100000 + (ulong)page * 0x2000, 1)).ToArray();

        batch.Execute(memory);

        Assert.Equal(order.Select(page => 0x100000 + (ulong)page * 0x2000), memory.LastSpans.Select(s => s.Address));
        for (var i = 0; i < order.Length; i++)
        {
            Assert.True(batch.TryGet(indices[i], out var data));
            Assert.Equal((byte)order[i], data[0]);
        }
    }

    [Fact]
    public void Execute_Again_ReadsOnlyTheNewSpansAndKeepsTheOldData()
    {
        var memory = new FakeProcessMemory();
        memory.Map(0x10000, new byte[0x10000]);
        memory.Write(0x10000, [1]);
        memory.Write(0x18000, [2]);
        var batch = new ReadBatch();
        var first = batch.Add(0x10000, 8);
        batch.Execute(memory);
        memory.Write(0x10000, [9]);                 // changes after the first read are not seen again
        var pending = batch.Add(0x18000, 8);
        Assert.False(batch.TryGet(pending, out _)); // queued, not read yet

        batch.Execute(memory);

        Assert.Equal(2, memory.CallCount);
        Assert.Equal([0x18000UL], memory.LastSpans.Select(s => s.Address));
        Assert.True(batch.TryGet(first, out var old));
        Assert.Equal(1, old[0]);
        Assert.True(batch.TryGet(pending, out var fresh));
        Assert.Equal(2, fresh[0]);
    }

    [Fact]
    public void Clear_ChangesGenerationAndForgetsSpans()
    {
        var memory = new FakeProcessMemory();
        memory.Map(0x10000, new byte[0x1000]);
        var batch = new ReadBatch();
        var index = batch.Add(0x10000, 8);
        batch.Execute(memory);
        var generation = batch.Generation;

        batch.Clear();

        Assert.NotEqual(generation, batch.Generation);
        Assert.False(batch.TryGet(index, out _));
        Assert.Equal(0, batch.Count);
    }

    [Fact]
    public void Execute_LengthsSummingPastIntMax_RefusesBeyondTheCapWithoutThrowing()
    {
        // 3000 spans of 1 MiB (a target's sizes): 3 GiB would overflow an int and then the buffer.
        var memory = new FakeProcessMemory();
        memory.MapRepeated(0x10_0000_0000, 8UL << 30, new byte[4096]);
        var batch = new ReadBatch();
        var indices = Enumerable.Range(0, 3000).Select(i => batch.Add(0x10_0000_0000 + ((ulong)i << 21), 1 << 20)).ToList();
        var negative = batch.Add(0x10_0000_0000, -5);

        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(ReadStatus.Ok, batch.Execute(memory));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.InRange(allocated, 0, 2L * ReadBatch.MaxBytes + (1 << 20));
        Assert.Equal(ReadBatch.MaxBytes >> 20, indices.Count(i => batch.TryGet(i, out _)));
        Assert.False(batch.TryGet(negative, out _));
        Assert.Equal(3000 - (ReadBatch.MaxBytes >> 20) + 1, batch.RefusedSpans);
    }
}
