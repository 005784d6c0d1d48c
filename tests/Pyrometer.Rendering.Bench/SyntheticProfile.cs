using Pyrometer.Rendering.Model;

namespace Pyrometer.Rendering.Bench;

/// <summary>
/// A large, realistic-looking workload: a random call graph over a few thousand functions in a few dozen
/// packages, walked from a handful of entry points inside four worker processes, giving the requested number
/// of unique stacks; samples are spread over them with a skew (a few hot stacks, a long tail).
/// </summary>
internal static class SyntheticProfile
{
    public static (int[][] Stacks, long[] Counts, ProfileBuilder Interned) Create(int uniqueStacks, long samples, int seed)
    {
        var random = new Random(seed);
        var builder = new ProfileBuilder();
        const int Functions = 4000;
        var frames = new int[Functions];
        for (var i = 0; i < Functions; i++)
        {
            var package = i % 40;
            var file = package < 10
                ? $"/usr/local/lib/python3.12/site-packages/lib{package}/module{i % 97}.py"
                : $"/srv/app/service{package}/handlers_{i % 53}.py";
            frames[i] = builder.InternPython($"function_{i}", file, 1 + random.Next(900));
        }
        var callees = new int[Functions][];
        for (var i = 0; i < Functions; i++)
        {
            callees[i] = new int[1 + random.Next(6)];
            for (var k = 0; k < callees[i].Length; k++)
            {
                callees[i][k] = random.Next(Functions);
            }
        }
        var processes = Enumerable.Range(0, 4).Select(p => builder.InternProcess(100 + p, "gunicorn: worker [app:app]")).ToArray();

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stacks = new List<int[]>(uniqueStacks);
        var stack = new List<int>();
        while (stacks.Count < uniqueStacks)
        {
            stack.Clear();
            stack.Add(processes[random.Next(processes.Length)]);
            var current = random.Next(8);
            var depth = 8 + random.Next(33);
            for (var d = 0; d < depth; d++)
            {
                stack.Add(frames[current]);
                var next = callees[current];
                current = next[Math.Min(next.Length - 1, (int)(Math.Pow(random.NextDouble(), 2) * next.Length))];
            }
            if (seen.Add(string.Join(',', stack)))
            {
                stacks.Add([.. stack]);
            }
        }

        var counts = new long[uniqueStacks];
        Array.Fill(counts, 1);
        for (var extra = samples - uniqueStacks; extra > 0; extra--)
        {
            counts[(int)(Math.Pow(random.NextDouble(), 3) * uniqueStacks)]++;
        }
        return (stacks.ToArray(), counts, builder);
    }
}
