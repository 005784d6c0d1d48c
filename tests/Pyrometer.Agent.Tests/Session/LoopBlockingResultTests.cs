using Pyrometer.Agent.Session;
using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Sampling;

namespace Pyrometer.Agent.Tests.Session;

public sealed class LoopBlockingResultTests
{
    private static PythonFrame Frame(string name, int line, string file = "/srv/app.py") => new(name.Split('.')[^1], name, file, line);

    private const string Packages = "/usr/local/lib/python3.12/site-packages/";

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
            [Frame("search_listings", 42), Frame("Session.get", 7, Packages + "requests/sessions.py"), Frame("sleep", 0, "/usr/local/lib/python3.12/time.py")]));

        var result = LoopBlockingResult.From([small, big])!;

        Assert.Equal(1351, result.TotalMs);
        Assert.Equal(5, result.Count);
        Assert.Equal(601, result.WorstMs);
        Assert.Equal(11, result.WorstPid);
        Assert.Equal("sleep", result.WorstFunction);
        Assert.Equal(["search_listings (/srv/app.py:42)", "Session.get (" + Packages + "requests/sessions.py:7)", "sleep (/usr/local/lib/python3.12/time.py)"], result.WorstStack);
        Assert.StartsWith("event loop blocked 1.4 s in 5 blocks; worst 601 ms in sleep from search_listings (/srv/app.py:42)", result.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void From_WebServerAboveTheService_StartsAtTheServiceFunctionThatCalledTheBlockingOne()
    {
        PythonFrame[] stack =
        [
            Frame("RequestResponseCycle.run_asgi", 404, Packages + "uvicorn/protocols/http/h11_impl.py"),
            Frame("Router.__call__", 706, Packages + "starlette/routing.py"),
            Frame("run_endpoint_function", 190, Packages + "fastapi/routing.py"),
            Frame("quote", 61, "/app/app.py"),
            Frame("lookup_exchange_rate", 30, "/app/app.py"),
        ];

        var result = From(stack);

        Assert.Equal(["quote (/app/app.py:61)", "lookup_exchange_rate (/app/app.py:30)"], result.WorstStack);
        Assert.EndsWith("in lookup_exchange_rate from quote (/app/app.py:61)", result.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void From_DeepLibraryCallUnderTheService_KeepsTheCallerAndTheInnermostFrames()
    {
        var library = Enumerable.Range(0, 12).Select(i => Frame("call_" + i, i + 1, Packages + "client/session.py"));
        PythonFrame[] stack = [Frame("run_asgi", 1, Packages + "uvicorn/h11_impl.py"), Frame("search", 42, "/app/app.py"), .. library];

        var result = From(stack);

        Assert.Equal(Pyrometer.Agent.Contracts.ResultLoopBlocking.MaxFrames, result.WorstStack.Count);
        Assert.Equal("search (/app/app.py:42)", result.WorstStack[0]);
        Assert.Equal("call_11 (" + Packages + "client/session.py:12)", result.WorstStack[^1]);
        Assert.Equal("call_5 (" + Packages + "client/session.py:6)", result.WorstStack[1]);
    }

    [Fact]
    public void From_NoServiceFrame_KeepsTheOutermostFrames()
    {
        var stack = Enumerable.Range(0, 10).Select(i => Frame("lib_" + i, i + 1, Packages + "lib.py")).ToArray();

        var result = From(stack);

        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"lib_{i} ({Packages}lib.py:{i + 1})"), result.WorstStack);
    }

    private static Pyrometer.Agent.Contracts.ResultLoopBlocking From(PythonFrame[] stack) =>
        LoopBlockingResult.From([new LoopBlocking(1, 1, TimeSpan.FromSeconds(1), new LoopBlock(TimeSpan.FromSeconds(1), stack))])!;

    [Fact]
    public void From_HostileNamesAndDeepStacks_AreCapped()
    {
        var name = new string('x', 10_000);
        var stack = Enumerable.Range(0, 40).Select(i => Frame(name, i + 1, Packages + "deep.py")).ToArray();

        var result = LoopBlockingResult.From([new LoopBlocking(1, 1, TimeSpan.FromSeconds(1), new LoopBlock(TimeSpan.FromSeconds(1), stack))])!;

        Assert.Equal(Pyrometer.Agent.Contracts.ResultLoopBlocking.MaxFrames, result.WorstStack.Count);
        Assert.All(result.WorstStack, frame => Assert.Equal(Pyrometer.Agent.Contracts.ResultLoopBlocking.MaxTextLength, frame.Length));
        Assert.Equal(Pyrometer.Agent.Contracts.ResultLoopBlocking.MaxTextLength, result.WorstFunction.Length);
    }
}
