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
    /// The frames the result keeps, outermost first: from the service's own function that called the
    /// innermost frame (its innermost service frame other than that one) inwards, so the line reads "in
    /// lookup_exchange_rate from quote (app.py:42)" rather than naming the web server's request runner.
    /// Past <see cref="ResultLoopBlocking.MaxFrames"/>, that caller and the innermost frames are kept.
    /// A stack with no service frame keeps its outermost frames.
    /// </summary>
    public static IReadOnlyList<PythonFrame> Window(IReadOnlyList<PythonFrame> stack)
    {
        const int max = ResultLoopBlocking.MaxFrames;
        var from = -1;
        for (var i = stack.Count - 2; i >= 0 && from < 0; i--)
        {
            if (ServiceCode.IsService(stack[i].File))
            {
                from = i;
            }
        }
        if (from < 0)
        {
            from = stack.Count > 0 && ServiceCode.IsService(stack[^1].File) ? stack.Count - 1 : -1;
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
