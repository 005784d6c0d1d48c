using Pyrometer.Agent.Contracts;

namespace Pyrometer.Operator.Api.V1Alpha1;

/// <summary>Asyncio event loops held by one callback for longer than the agent's threshold (100 ms).</summary>
[Schema("Asyncio event loops held by one callback, without getting back to their selector, for longer than the agent's threshold (100 ms).")]
internal sealed class EventLoopBlocked
{
    [Schema("The blocks' summed duration, in milliseconds.", Minimum = 0)]
    public long TotalMs { get; set; }

    [Schema("How many blocks.", Minimum = 0)]
    public int Count { get; set; }

    [Schema("The longest block, in milliseconds.", Minimum = 0)]
    public long WorstMs { get; set; }

    [Schema("The innermost function of the longest block's stack.")]
    public string WorstFunction { get; set; } = "";

    [Schema("The longest block's stack at its middle, outermost first, without the loop's frames: function (file:line).", MaxItems = ResultLoopBlocking.MaxFrames)]
    public List<string> WorstStack { get; set; } = [];

    [Schema("The pod of the longest block (in the request's summary).")]
    public string? WorstPod { get; set; }

    /// <summary>From the agent's result; null when it saw no block.</summary>
    public static EventLoopBlocked? From(ResultLoopBlocking? result) => result is null ? null : new EventLoopBlocked
    {
        TotalMs = result.TotalMs,
        Count = result.Count,
        WorstMs = result.WorstMs,
        WorstFunction = result.WorstFunction,
        WorstStack = [.. result.WorstStack.Take(ResultLoopBlocking.MaxFrames)],
    };

    /// <summary>"event loop blocked 1.2 s in 14 blocks; worst 340 ms in get from search_listings (app.py:42)", as the agent prints it.</summary>
    public string Describe() => new ResultLoopBlocking(TotalMs, Count, WorstMs, WorstFunction, WorstStack).Describe();
}
