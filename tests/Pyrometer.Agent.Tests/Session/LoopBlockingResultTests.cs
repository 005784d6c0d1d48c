using Pyrometer.Agent.Session;
using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Sampling;

namespace Pyrometer.Agent.Tests.Session;

public sealed class LoopBlockingResultTests
{
    private static PythonFrame Frame(string name, int line) => new(name.Split('.')[^1], name, "/srv/app.py", line);

    [Fact]
    public void From_NoBlocks_IsNull()
    {
        Assert.Null(LoopBlockingResult.From(null));
        Assert.Null(LoopBlockingResult.From([]));
    }

    [Fact]
    public void From_SeveralProcesses_SumsThemAndNamesTheWorstOnesProcessAndStack()
    {
        var small = new LoopBlocking(10, 3, TimeSpan.FromMilliseconds(450.4), new LoopBlock(TimeSpan.FromMilliseconds(200), [Frame("handler", 3)]));
        var big = new LoopBlocking(11, 2, TimeSpan.FromMilliseconds(900.2), new LoopBlock(TimeSpan.FromMilliseconds(600.6),
            [Frame("search_listings", 42), Frame("Session.get", 7), Frame("sleep", 0)]));

        var result = LoopBlockingResult.From([small, big])!;

        Assert.Equal(1351, result.TotalMs);
        Assert.Equal(5, result.Count);
        Assert.Equal(601, result.WorstMs);
        Assert.Equal(11, result.WorstPid);
        Assert.Equal("sleep", result.WorstFunction);
        Assert.Equal(["search_listings (/srv/app.py:42)", "Session.get (/srv/app.py:7)", "sleep (/srv/app.py)"], result.WorstStack);
    }

    [Fact]
    public void From_HostileNamesAndDeepStacks_AreCapped()
    {
        var name = new string('x', 10_000);
        var stack = Enumerable.Range(0, 40).Select(i => Frame(name, i + 1)).ToArray();

        var result = LoopBlockingResult.From([new LoopBlocking(1, 1, TimeSpan.FromSeconds(1), new LoopBlock(TimeSpan.FromSeconds(1), stack))])!;

        Assert.Equal(Pyrometer.Agent.Contracts.ResultLoopBlocking.MaxFrames, result.WorstStack.Count);
        Assert.All(result.WorstStack, frame => Assert.Equal(Pyrometer.Agent.Contracts.ResultLoopBlocking.MaxTextLength, frame.Length));
        Assert.Equal(Pyrometer.Agent.Contracts.ResultLoopBlocking.MaxTextLength, result.WorstFunction.Length);
    }
}
