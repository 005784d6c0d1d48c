using System.Globalization;
using Pyrometer.Agent.Contracts;
using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Sampling;

namespace Pyrometer.Agent.Session;

/// <summary>The blocked event loops of every process, as the result reports them (pure).</summary>
internal static class LoopBlockingResult
{
    /// <summary>Null when no block was seen (or nothing looked for them).</summary>
    public static ResultLoopBlocking? From(IEnumerable<LoopBlocking>? processes)
    {
        var list = processes?.Where(p => p.Count > 0).ToList() ?? [];
        if (list.Count == 0)
        {
            return null;
        }
        var worst = list.MaxBy(p => p.Worst.Duration)!;
        var stack = worst.Worst.Stack;
        return new ResultLoopBlocking(
            Milliseconds(list.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.Total)),
            list.Sum(p => p.Count),
            Milliseconds(worst.Worst.Duration),
            stack.Count > 0 ? Shorten(stack[^1].QualifiedName) : "",
            Window(stack).Select(Render).ToArray())
        {
            WorstPid = worst.ProcessId,
        };
    }

    /// <summary>
    /// The frames the result keeps, outermost first: from the service's own outermost frame (the handler,
    /// not the web server's request runner above it) inwards, so the status names the endpoint and the
    /// function it called. Past <see cref="ResultLoopBlocking.MaxFrames"/>, that frame and the innermost
    /// ones are kept. A stack with no service frame keeps its outermost frames.
    /// </summary>
    public static IReadOnlyList<PythonFrame> Window(IReadOnlyList<PythonFrame> stack)
    {
        const int max = ResultLoopBlocking.MaxFrames;
        var from = -1;
        for (var i = 0; i < stack.Count && from < 0; i++)
        {
            if (ServiceCode.IsService(stack[i].File))
            {
                from = i;
            }
        }
        if (from < 0)
        {
            return [.. stack.Take(max)];
        }
        var inner = stack.Count - from;
        return inner <= max
            ? [.. stack.Skip(from)]
            : [stack[from], .. stack.Skip(stack.Count - (max - 1))];
    }

    /// <summary><c>function (file:line)</c>, shortened to the contract's length.</summary>
    public static string Render(PythonFrame frame) => Shorten(frame.Line > 0
        ? string.Create(CultureInfo.InvariantCulture, $"{frame.QualifiedName} ({frame.File}:{frame.Line})")
        : $"{frame.QualifiedName} ({frame.File})");

    private static long Milliseconds(TimeSpan duration) => (long)Math.Round(duration.TotalMilliseconds);

    private static string Shorten(string text) =>
        text.Length <= ResultLoopBlocking.MaxTextLength ? text : text[..(ResultLoopBlocking.MaxTextLength - 1)] + "…";
}
