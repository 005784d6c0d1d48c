using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Pyrometer.Rendering.Model;
using Pyrometer.Rendering.Speedscope;
using Pyrometer.Rendering.Tests.Support;

namespace Pyrometer.Rendering.Tests.Speedscope;

/// <summary>
/// speedscope's Time Order from a recorded timeline (Golden/timeline/input.timeline): a profile per thread,
/// samples in the order taken, weights in microseconds, functions not split per line unless asked.
/// </summary>
public sealed class SpeedscopeTimelineTests
{
    [Fact]
    public void Write_Timeline_MatchesExpectedJson()
    {
        var json = Render(TimelineInput.Load("timeline"), new SpeedscopeOptions { Indented = true, Version = "0.0.0-golden" });

        GoldenFile.AssertMatches("timeline", "expected.speedscope.json", json + "\n");
    }

    [Fact]
    public void Write_ByLine_MatchesExpectedJson()
    {
        var json = Render(TimelineInput.Load("timeline"), new SpeedscopeOptions { Indented = true, Version = "0.0.0-golden", ByLine = true });

        GoldenFile.AssertMatches("timeline", "expected.by-line.speedscope.json", json + "\n");
    }

    [Fact]
    public void Write_Timeline_OneProfilePerThreadInTimeOrder()
    {
        var file = JsonNode.Parse(Render(TimelineInput.Load("timeline")))!;
        var frames = file["shared"]!["frames"]!.AsArray().Select(f => (string)f!["name"]!).ToList();
        var profiles = file["profiles"]!.AsArray();

        Assert.Equal(["pid 100 python app.py / thread 101 MainThread", "pid 100 python app.py / thread 102 worker"], profiles.Select(p => (string)p!["name"]!));
        // compute's two lines are one frame; each thread's samples read as it ran.
        Assert.Single(frames, name => name == "compute");
        var main = profiles[0]!;
        Assert.Equal(["main;handle;compute", "main;handle", "main;<lambda>"], Stacks(main, frames));
        Assert.Equal([20_000L, 10_000, 20_000], Weights(main));
        var worker = profiles[1]!;
        Assert.Equal(["run;poll", "", "run;flush", ""], Stacks(worker, frames));
        Assert.Equal([20_000L, 10_000, 10_000, 10_000], Weights(worker));
        Assert.All(profiles, p => Assert.Equal("microseconds", (string)p!["unit"]!));
        Assert.All(profiles, p => Assert.Equal(50_000L, (long)p!["endValue"]! - (long)p["startValue"]!));
    }

    [SpeedscopeSchemaFact]
    public void Write_Timeline_ValidAgainstSpeedscopeSchemaByJsonSchemaNet()
    {
        var schema = JsonSchema.FromText(File.ReadAllText(TestPaths.SpeedscopeSchema));
        foreach (var byLine in new[] { false, true })
        {
            using var document = JsonDocument.Parse(Render(TimelineInput.Load("timeline"), new SpeedscopeOptions { ByLine = byLine }));

            var result = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });

            Assert.True(result.IsValid, string.Join("; ", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                .Select(d => $"{d.InstanceLocation}: {string.Join(", ", d.Errors!.Values)}")));
        }
    }

    [Fact]
    public void Write_TruncatedTimeline_SaysSoInTheProfileName()
    {
        var builder = new ProfileBuilder();
        var recorder = new TimelineRecorder(1_000_000, 100, maxTicks: 2);
        var track = recorder.AddTrack(5, "python", 6, "MainThread");
        var stack = builder.AddSampleIndexed([builder.InternPython("f", "a.py", 1)]);
        for (var at = 0; at < 40_000; at += 10_000)
        {
            recorder.Add(track, stack, at);
            recorder.TickCompleted(at);
        }

        var file = JsonNode.Parse(Render(builder.Build(ProfileMetadata.None, recorder)))!;

        Assert.Equal("pid 5 python / thread 6 MainThread (in time order for the first 0.02 s; later samples at the end, in aggregate)",
            (string)file["profiles"]![0]!["name"]!);
    }

    private static string Render(Profile profile, SpeedscopeOptions? options = null)
    {
        using var output = new MemoryStream();
        SpeedscopeWriter.Write(profile, output, options);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    private static List<string> Stacks(JsonNode profile, List<string> frames) =>
        profile["samples"]!.AsArray().Select(s => string.Join(";", s!.AsArray().Select(i => frames[(int)i!]))).ToList();

    private static List<long> Weights(JsonNode profile) => profile["weights"]!.AsArray().Select(w => (long)w!).ToList();
}
