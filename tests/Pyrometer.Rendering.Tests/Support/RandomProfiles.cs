using Pyrometer.Rendering.Model;

namespace Pyrometer.Rendering.Tests.Support;

/// <summary>
/// Seeded random stack sets shaped like real profiles: a synthetic call graph walked from a few entry
/// points, so stacks share prefixes, with optional process and thread pseudo-frames.
/// </summary>
internal static class RandomProfiles
{
    public static ProfileMetadata Metadata { get; } = new()
    {
        Target = "random",
        PythonVersions = ["3.12.7"],
        StartTime = new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero),
        Duration = TimeSpan.FromSeconds(30),
        RateHz = 100,
        MissedSamples = 3,
        ErrorSamples = 1,
    };

    /// <summary>The stacks as frame lists with counts, and the profile built from them.</summary>
    public static (List<(Frame[] Frames, long Count)> Stacks, Profile Profile) Create(int seed, int stacks, int functions = 60, int maxDepth = 12, bool pseudoFrames = true)
    {
        var random = new Random(seed);
        var frames = Enumerable.Range(0, functions)
            .Select(i => Frame.Python($"fn_{i}", $"/srv/app/pkg{i % 7}/mod{i % 13}.py", 1 + random.Next(400)))
            .ToArray();
        var callees = frames.Select(_ => Enumerable.Range(0, 1 + random.Next(4)).Select(_ => random.Next(functions)).ToArray()).ToArray();
        var processes = new[] { Frame.Process(7, "gunicorn: worker [app]"), Frame.Process(8, "gunicorn: worker [app]") };
        var threads = new[] { Frame.Thread(101, "MainThread"), Frame.Thread(102, "") };

        var unique = new Dictionary<string, (Frame[] Frames, long Count)>(StringComparer.Ordinal);
        var attempts = 0;
        while (unique.Count < stacks && attempts++ < stacks * 50)
        {
            var stack = new List<Frame>();
            if (pseudoFrames)
            {
                stack.Add(processes[random.Next(processes.Length)]);
                if (random.Next(2) == 0)
                {
                    stack.Add(threads[random.Next(threads.Length)]);
                }
            }
            var current = random.Next(Math.Min(4, functions));
            var depth = 1 + random.Next(maxDepth);
            for (var d = 0; d < depth; d++)
            {
                stack.Add(frames[current]);
                current = callees[current][random.Next(callees[current].Length)];
            }
            var key = string.Join(";", stack.Select(f => f.Text));
            var count = 1 + (long)Math.Floor(Math.Pow(random.NextDouble(), 4) * 200);
            unique[key] = unique.TryGetValue(key, out var existing) ? (existing.Frames, existing.Count + count) : (stack.ToArray(), count);
        }

        var list = unique.Values.ToList();
        var builder = new ProfileBuilder();
        foreach (var (stackFrames, count) in list)
        {
            builder.AddSample(stackFrames.Select(builder.Intern).ToArray(), count);
        }
        return (list, builder.Build(Metadata));
    }

    /// <summary>Builds a profile from frame texts, e.g. ("main (app.py:1);work (app.py:5)", 3).</summary>
    public static Profile FromFolded(ProfileMetadata metadata, params (string Stack, long Count)[] lines)
    {
        var text = string.Concat(lines.Select(l => $"{l.Stack} {l.Count}\n"));
        return Pyrometer.Rendering.Folded.FoldedReader.Read(new StringReader(text), metadata);
    }
}
