namespace Pyrometer.EndToEnd.Tests.Support;

/// <summary>
/// Frames of the demo service's profiles as the agent writes them: <c>function (file:line)</c>, and in async mode
/// <c>[task NAME]</c> for an asyncio task and an <c>[await TYPE]</c> leaf for what a suspended task awaits.
/// </summary>
internal static class DemoFrames
{
    /// <summary>A function of hack/demo-app/app.py, not a library's function of the same name.</summary>
    public static bool IsApp(string frame, string function) =>
        frame.StartsWith(function + " (", StringComparison.Ordinal) && frame.Contains("app.py:", StringComparison.Ordinal);

    public static bool IsTask(string frame) => frame.StartsWith("[task ", StringComparison.Ordinal);

    public static bool IsAwait(string frame) => frame.StartsWith("[await", StringComparison.Ordinal);

    /// <summary>asyncpg's query call (<c>Connection.fetch</c> in asyncpg/connection.py), which the demo awaits.</summary>
    public static bool IsAsyncpgQuery(string frame) =>
        frame.StartsWith("Connection.fetch (", StringComparison.Ordinal) && frame.Contains("/asyncpg/", StringComparison.Ordinal);

    /// <summary>asyncio's frame that runs one callback of the loop (a task's step): the frames after it are the callback's.</summary>
    public static bool IsLoopCallback(string frame) =>
        frame.StartsWith("Handle._run (", StringComparison.Ordinal) && frame.Contains("asyncio/events.py", StringComparison.Ordinal);

    /// <summary>Whether the stack holds <paramref name="reported"/> (a frame as the status gives it, at most 120 characters, a longer one cut with "…").</summary>
    public static bool Holds(IReadOnlyList<string> frames, string reported) => frames.Any(frame => SameFrame(frame, reported));

    private static bool SameFrame(string recorded, string reported) =>
        reported.EndsWith('…') ? recorded.StartsWith(reported[..^1], StringComparison.Ordinal) : recorded == reported;

    /// <summary>Whether the stack holds frames passing each test in turn, root first, other frames between them allowed.</summary>
    public static bool HasInOrder(IReadOnlyList<string> frames, params Func<string, bool>[] tests)
    {
        var index = 0;
        foreach (var test in tests)
        {
            while (index < frames.Count && !test(frames[index]))
            {
                index++;
            }
            if (index++ >= frames.Count)
            {
                return false;
            }
        }
        return true;
    }
}
