using System.Diagnostics;
using System.Text;
using Pyrometer.Sampling.Sampling;
using Pyrometer.Sampling.Target;

namespace Pyrometer.Sampling.Tests.Sampling;

public sealed class ProcProcessTableTests
{
    [Theory]
    [InlineData("42 (python3) S 1 42 42 0 -1 4194304 10 0 0 0 5 3 0 0 20 0 1 0 987654 1000 100 18446744073709551615\n", 'S', 987654UL)]
    [InlineData("42 (a) (b) R 1 42 42 0 -1 4194304 10 0 0 0 5 3 0 0 20 0 1 0 123 1000 100 0\n", 'R', 123UL)]
    [InlineData("42 (x y) Z 1 42 42 0 -1 4194304 10 0 0 0 5 3 0 0 20 0 1 0 7 0 0 0", 'Z', 7UL)]
    public void TryParseStat_TakesStateAndStartTimeAfterTheLastParenthesis(string line, char state, ulong startTime)
    {
        Assert.True(ProcProcessTable.TryParseStat(Encoding.ASCII.GetBytes(line), out var parsedState, out var parsedStart));
        Assert.Equal((byte)state, parsedState);
        Assert.Equal(startTime, parsedStart);
    }

    [Theory]
    [InlineData("")]
    [InlineData("42 python3 S 1")]
    [InlineData("42 (python3) S 1 42 42 0 -1 4194304 10 0 0 0 5 3 0 0 20 0 1 0")]
    [InlineData("42 (python3) SS 1 42 42 0 -1 4194304 10 0 0 0 5 3 0 0 20 0 1 0 987654 1")]
    [InlineData("42 (python3) S 1 42 42 0 -1 4194304 10 0 0 0 5 3 0 0 20 0 1 0 98x654 1")]
    public void TryParseStat_Malformed_IsRefused(string line)
    {
        Assert.False(ProcProcessTable.TryParseStat(Encoding.ASCII.GetBytes(line), out _, out _));
    }

    [Fact]
    public void TryGetStartTime_AgreesWithTheFullStatParser()
    {
        var table = new ProcProcessTable(ProcFs.Default);

        Assert.True(table.TryGetStartTime(Environment.ProcessId, out var startTime));
        Assert.Equal(ProcFs.Default.TryReadStat(Environment.ProcessId)!.StartTime, startTime);
        Assert.False(table.TryGetStartTime(int.MaxValue, out _));
    }

    [Fact]
    public async Task ChildrenOf_ListsChildrenStartedByAnyThread()
    {
        var table = new ProcProcessTable(ProcFs.Default);
        using var first = Process.Start(new ProcessStartInfo("sleep", "30"))!;
        // The thread pool thread that starts the second child is not the one that started the first.
        using var second = await Task.Run(() => Process.Start(new ProcessStartInfo("sleep", "30"))!);
        try
        {
            var children = table.ChildrenOf(Environment.ProcessId);

            Assert.Contains(first.Id, children);
            Assert.Contains(second.Id, children);
        }
        finally
        {
            first.Kill();
            second.Kill();
        }
    }
}
