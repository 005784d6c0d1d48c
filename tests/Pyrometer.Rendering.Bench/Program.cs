using System.Diagnostics;
using System.Globalization;
using Pyrometer.Rendering.Bench;
using Pyrometer.Rendering.Comparison;
using Pyrometer.Rendering.FlameGraph;
using Pyrometer.Rendering.Formats;
using Pyrometer.Rendering.Model;

// Renders one large profile to every format and prints a table: median time of N runs and output size,
// then peak memory. Goals (issue "Profiles people can read"): SVG <= 1 s and <= 5 MB, speedscope <= 1 s,
// pprof <= 1 s, peak <= 300 MB.
var inv = CultureInfo.InvariantCulture;
var uniqueStacks = args.Length > 0 ? int.Parse(args[0], inv) : 100_000;
var samples = args.Length > 1 ? long.Parse(args[1], inv) : 1_000_000;
var runs = args.Length > 2 ? int.Parse(args[2], inv) : 5;

var (stacks, counts, builder) = SyntheticProfile.Create(uniqueStacks, samples, seed: 42);
var metadata = new ProfileMetadata
{
    Target = "bench: 4 gunicorn workers",
    PythonVersions = ["3.12.7"],
    StartTime = new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero),
    Duration = TimeSpan.FromSeconds(10_000),
    RateHz = 100,
};

// Ingest: every sample added one at a time, as the sampler does (the first pass creates the stacks).
var ingest = Stopwatch.StartNew();
for (var i = 0; i < stacks.Length; i++)
{
    for (var n = 0; n < counts[i]; n++)
    {
        builder.AddSample(stacks[i]);
    }
}
ingest.Stop();
var build = Stopwatch.StartNew();
var profile = builder.Build(metadata);
build.Stop();

// Steady state: every stack already known, as in a long recording; this is the sampler's per-sample cost.
var steady = Stopwatch.StartNew();
long steadySamples = 0;
while (steadySamples < samples)
{
    for (var i = 0; i < stacks.Length && steadySamples < samples; i++, steadySamples++)
    {
        builder.AddSample(stacks[i]);
    }
}
steady.Stop();

Console.WriteLine(string.Create(inv, $"profile: {profile.TotalSamples:N0} samples, {profile.StackCount:N0} unique stacks, {profile.Frames.Count:N0} frames"));
Console.WriteLine(string.Create(inv, $"ingest (AddSample x {samples:N0}): {ingest.Elapsed.TotalMilliseconds:0} ms ({ingest.Elapsed.TotalNanoseconds / samples:0} ns/sample); Build: {build.Elapsed.TotalMilliseconds:0} ms"));
Console.WriteLine(string.Create(inv, $"steady-state AddSample (known stacks, mean depth {stacks.Average(s => s.Length):0.0}): {steady.Elapsed.TotalNanoseconds / steadySamples:0} ns/sample"));
Console.WriteLine();
Console.WriteLine(string.Create(inv, $"{"format",-12} {"median ms",10} {"min ms",8} {"max ms",8} {"bytes",14}   goal"));
foreach (var format in OutputFormats.All)
{
    var times = new List<double>();
    long size = 0;
    for (var run = 0; run < runs; run++)
    {
        var output = new CountingStream();
        var watch = Stopwatch.StartNew();
        format.Write(profile, output);
        watch.Stop();
        times.Add(watch.Elapsed.TotalMilliseconds);
        size = output.Length;
    }
    times.Sort();
    var goal = format.Name switch
    {
        "flamegraph" => "<= 1000 ms, <= 5 MB",
        "speedscope" or "pprof" => "<= 1000 ms",
        _ => "",
    };
    Console.WriteLine(string.Create(inv, $"{format.Name,-12} {times[times.Count / 2],10:0.0} {times[0],8:0.0} {times[^1],8:0.0} {size,14:N0}   {goal}"));
}

// Reading folded text back (convert, diff and the operator's merge read it): median of N runs.
using (var folded = new MemoryStream())
{
    OutputFormats.Folded.Write(profile, folded);
    var readTimes = new List<double>();
    for (var run = 0; run < runs; run++)
    {
        folded.Position = 0;
        var watch = Stopwatch.StartNew();
        var read = ProfileLoader.Load(folded, "bench");
        watch.Stop();
        readTimes.Add(watch.Elapsed.TotalMilliseconds);
        if (read.TotalSamples != profile.TotalSamples)
        {
            throw new InvalidOperationException("the folded text read back holds other samples");
        }
    }
    readTimes.Sort();
    Console.WriteLine(string.Create(inv, $"{"read folded",-12} {readTimes[readTimes.Count / 2],10:0.0} {readTimes[0],8:0.0} {readTimes[^1],8:0.0} {folded.Length,14:N0}"));
}

using var process = Process.GetCurrentProcess();
process.Refresh();
var gc = GC.GetGCMemoryInfo();
Console.WriteLine();
Console.WriteLine(string.Create(inv, $"peak working set: {process.PeakWorkingSet64 / (1024.0 * 1024):0.0} MB (goal <= 300 MB); GC heap now {GC.GetTotalMemory(false) / (1024.0 * 1024):0.0} MB, largest heap seen {gc.HeapSizeBytes / (1024.0 * 1024):0.0} MB, total allocated {GC.GetTotalAllocatedBytes() / (1024.0 * 1024):0} MB"));

// pyrometer diff on this profile and a later one (every stack seen again in the steady-state pass, so shares
// moved a little): fold lines on both sides, compare functions, write both SVGs and the JSON table.
var later = builder.Build(metadata);
var stages = new[] { "fold", "compare", "after svg", "before svg", "json" };
var diffTimes = stages.Select(_ => new List<double>()).ToArray();
long diffBytes = 0;
for (var run = 0; run < runs; run++)
{
    var output = new CountingStream();
    var watch = Stopwatch.StartNew();
    var first = LineFolding.WithoutLines(profile);
    var second = LineFolding.WithoutLines(later);
    diffTimes[0].Add(watch.Elapsed.TotalMilliseconds);
    watch.Restart();
    var changes = ProfileComparison.Compare(first, second);
    diffTimes[1].Add(watch.Elapsed.TotalMilliseconds);
    watch.Restart();
    DiffFlameGraphWriter.Write(first, second, output);
    diffTimes[2].Add(watch.Elapsed.TotalMilliseconds);
    watch.Restart();
    DiffFlameGraphWriter.Write(first, second, output, new DiffOptions { Shape = DiffShape.Before });
    diffTimes[3].Add(watch.Elapsed.TotalMilliseconds);
    watch.Restart();
    ChangesJsonWriter.Write(changes, output);
    diffTimes[4].Add(watch.Elapsed.TotalMilliseconds);
    diffBytes = output.Length;
}
Console.WriteLine(string.Create(inv, $"diff, median ms per stage: {string.Join(", ", stages.Select((name, i) => $"{name} {diffTimes[i].Order().ElementAt(runs / 2):0.0}"))}; {diffBytes:N0} bytes"));
