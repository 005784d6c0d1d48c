namespace Pyrometer.Agent.Contracts;

/// <summary>
/// Asyncio event loops that ran one callback for longer than the threshold without getting back to
/// their selector, over all sampled processes.
/// </summary>
/// <param name="TotalMs">The blocks' summed duration, in milliseconds.</param>
/// <param name="Count">How many blocks.</param>
/// <param name="WorstMs">The longest block, in milliseconds.</param>
/// <param name="WorstFunction">The innermost function of the longest block's stack.</param>
/// <param name="WorstStack">
/// The longest block's stack at its middle, outermost first, each <c>function (file:line)</c>: from the
/// service's own outermost frame (not the standard library or installed packages; the stack's outermost
/// frame when there is none) inwards; at most <see cref="MaxFrames"/> frames, trimmed from the inner end to fit.
/// </param>
public sealed record ResultLoopBlocking(long TotalMs, int Count, long WorstMs, string WorstFunction, IReadOnlyList<string> WorstStack)
{
    /// <summary>Frames kept in <see cref="WorstStack"/>.</summary>
    public const int MaxFrames = 8;

    /// <summary>Characters kept of each frame and of <see cref="WorstFunction"/>.</summary>
    public const int MaxTextLength = 120;

    /// <summary>The process the longest block was in.</summary>
    public int? WorstPid { get; init; }

    /// <summary>"event loop blocked 1.2 s in 14 blocks; worst 340 ms in requests.get from search_listings (app.py:42)".</summary>
    public string Describe()
    {
        var blocks = Count == 1 ? "1 block" : Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + " blocks";
        var text = "event loop blocked " + Milliseconds(TotalMs) + " in " + blocks + "; worst " + Milliseconds(WorstMs);
        var from = Caller();
        if (from is not null && !from.StartsWith(WorstFunction + " (", StringComparison.Ordinal))
        {
            return text + " in " + WorstFunction + " from " + from;
        }
        return text + " in " + (from ?? WorstFunction);
    }

    // The service's own function nearest the blocking code (its innermost service frame but the innermost
    // frame itself), else the outermost frame kept.
    private string? Caller()
    {
        for (var i = WorstStack.Count - 2; i >= 0; i--)
        {
            if (ServiceCode.IsService(ServiceCode.FileOf(WorstStack[i])))
            {
                return WorstStack[i];
            }
        }
        return WorstStack.Count > 0 ? WorstStack[0] : null;
    }

    private static string Milliseconds(long ms) => ms >= 1000
        ? (ms / 1000.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " s"
        : ms.ToString(System.Globalization.CultureInfo.InvariantCulture) + " ms";
}
