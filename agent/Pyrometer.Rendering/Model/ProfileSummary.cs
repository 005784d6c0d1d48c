namespace Pyrometer.Rendering.Model;

/// <summary>Counts derived from a profile: per process, per thread, and the top functions.</summary>
public static class ProfileSummary
{
    /// <summary>Samples per process pseudo-frame, in frame order; stacks without one are not counted.</summary>
    internal static IReadOnlyList<FrameSamples> SamplesPerProcess(Profile profile) => SamplesPer(profile, FrameKind.Process);

    /// <summary>Samples per thread pseudo-frame, in frame order; stacks without one are not counted.</summary>
    internal static IReadOnlyList<FrameSamples> SamplesPerThread(Profile profile) => SamplesPer(profile, FrameKind.Thread);

    /// <summary>
    /// The <paramref name="limit"/> hottest functions (grouped by function and file), ranked by self or
    /// total share, ties broken by name then file so the answer is stable.
    /// </summary>
    public static IReadOnlyList<FunctionShare> TopFunctions(Profile profile, int limit, ShareOrder order = ShareOrder.Self)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if (profile.IsEmpty || limit == 0)
        {
            return [];
        }

        var keys = new Dictionary<(string Function, string File), int>();
        var functionOf = new int[profile.Frames.Count];
        var names = new List<(string Function, string File)>();
        for (var id = 0; id < profile.Frames.Count; id++)
        {
            var frame = profile.GetFrame(id);
            if (frame.IsPseudo || IsAsyncMarker(frame))
            {
                functionOf[id] = -1;
                continue;
            }
            var key = (frame.Name, frame.File);
            if (!keys.TryGetValue(key, out var function))
            {
                function = names.Count;
                names.Add(key);
                keys.Add(key, function);
            }
            functionOf[id] = function;
        }

        var self = new long[names.Count];
        var total = new long[names.Count];
        var lineSelf = new long[profile.Frames.Count];
        var lastSeen = new int[names.Count];
        Array.Fill(lastSeen, -1);
        for (var i = 0; i < profile.StackCount; i++)
        {
            var stack = profile.GetStack(i);
            var count = profile.GetCount(i);
            for (var d = 0; d < stack.Length; d++)
            {
                var function = functionOf[stack[d]];
                if (function >= 0 && lastSeen[function] != i)
                {
                    lastSeen[function] = i;
                    total[function] += count;
                }
            }
            // A task's stack ends in an [await TYPE] marker: the coroutine that awaits is the innermost function.
            var innermost = stack.Length - 1;
            while (innermost > 0 && IsAsyncMarker(profile.GetFrame(stack[innermost])))
            {
                innermost--;
            }
            var leaf = stack[innermost];
            if (functionOf[leaf] >= 0)
            {
                self[functionOf[leaf]] += count;
                lineSelf[leaf] += count;
            }
        }

        var bestLine = new int[names.Count];
        var bestLineSamples = new long[names.Count];
        Array.Fill(bestLine, -1);
        for (var id = 0; id < profile.Frames.Count; id++)
        {
            var function = functionOf[id];
            if (function >= 0 && (bestLine[function] < 0 || lineSelf[id] > bestLineSamples[function]))
            {
                bestLine[function] = profile.GetFrame(id).Line;
                bestLineSamples[function] = lineSelf[id];
            }
        }

        var ranked = Enumerable.Range(0, names.Count)
            .Where(f => (order == ShareOrder.Self ? self[f] : total[f]) > 0)
            .OrderByDescending(f => order == ShareOrder.Self ? self[f] : total[f])
            .ThenByDescending(f => order == ShareOrder.Self ? total[f] : self[f])
            .ThenBy(f => names[f].Function, StringComparer.Ordinal)
            .ThenBy(f => names[f].File, StringComparer.Ordinal)
            .Take(limit);
        double samples = profile.TotalSamples;
        return ranked
            .Select(f => new FunctionShare(names[f].Function, names[f].File, bestLine[f], self[f], total[f], 100.0 * self[f] / samples, 100.0 * total[f] / samples))
            .ToList();
    }

    private static List<FrameSamples> SamplesPer(Profile profile, FrameKind kind)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var samples = new long[profile.Frames.Count];
        for (var i = 0; i < profile.StackCount; i++)
        {
            var stack = profile.GetStack(i);
            for (var d = 0; d < Math.Min(2, stack.Length); d++)
            {
                if (profile.GetFrame(stack[d]).Kind == kind)
                {
                    samples[stack[d]] += profile.GetCount(i);
                }
            }
        }
        var result = new List<FrameSamples>();
        for (var id = 0; id < samples.Length; id++)
        {
            if (samples[id] > 0)
            {
                result.Add(new FrameSamples(profile.GetFrame(id), samples[id]));
            }
        }
        return result;
    }

    /// <summary>Async mode's <c>[task NAME]</c> and <c>[await TYPE]</c> frames: they name no function of the target.</summary>
    private static bool IsAsyncMarker(Frame frame) =>
        frame.Kind == FrameKind.Python && frame.File.Length == 0 && frame.Line == 0
        && (frame.Name.StartsWith("[task ", StringComparison.Ordinal) || frame.Name.StartsWith("[await ", StringComparison.Ordinal));
}
