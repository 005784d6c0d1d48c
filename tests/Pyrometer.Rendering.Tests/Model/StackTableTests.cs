using Pyrometer.Rendering.Model;

namespace Pyrometer.Rendering.Tests.Model;

public sealed class StackTableTests
{
    [Fact]
    public void Add_SameStackTwice_CountsOnce()
    {
        var table = new StackTable();

        table.Add([1, 2, 3], 2);
        table.Add([1, 2, 3], 5);
        table.Add([1, 2], 1);

        Assert.Equal(2, table.Count);
        Assert.Equal([1, 2, 3], table.GetStack(0).ToArray());
        Assert.Equal(7, table.GetCount(0));
        Assert.Equal(1, table.GetCount(1));
    }

    [Fact]
    public void Add_ManyStacks_SurvivesGrowthAndFindsEveryStack()
    {
        var table = new StackTable();
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < 5000; i++)
            {
                table.Add([i % 17, i, i * 3], 1);
            }
        }

        Assert.Equal(5000, table.Count);
        for (var i = 0; i < 5000; i++)
        {
            Assert.Equal([i % 17, i, i * 3], table.GetStack(i).ToArray());
            Assert.Equal(2, table.GetCount(i));
        }
    }

    [Fact]
    public void Add_KnownStack_AllocatesNothing()
    {
        var table = new StackTable();
        int[] stack = [4, 8, 15, 16, 23, 42];
        table.Add(stack, 1);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            table.Add(stack, 1);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(1001, table.GetCount(0));
    }
}
