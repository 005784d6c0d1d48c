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
            stack.Take(ResultLoopBlocking.MaxFrames).Select(Render).ToArray())
        {
            WorstPid = worst.ProcessId,
        };
    }

    /// <summary><c>function (file:line)</c>, shortened to the contract's length.</summary>
    public static string Render(PythonFrame frame) => Shorten(frame.Line > 0
        ? string.Create(CultureInfo.InvariantCulture, $"{frame.QualifiedName} ({frame.File}:{frame.Line})")
        : $"{frame.QualifiedName} ({frame.File})");

    private static long Milliseconds(TimeSpan duration) => (long)Math.Round(duration.TotalMilliseconds);

    private static string Shorten(string text) =>
        text.Length <= ResultLoopBlocking.MaxTextLength ? text : text[..(ResultLoopBlocking.MaxTextLength - 1)] + "…";
}
