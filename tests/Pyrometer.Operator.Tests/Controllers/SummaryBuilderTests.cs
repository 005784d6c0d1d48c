using Pyrometer.Operator.Api.V1Alpha1;
using Pyrometer.Operator.Controllers;

namespace Pyrometer.Operator.Tests.Controllers;

public sealed class SummaryBuilderTests
{
    [Fact]
    public void Build_TwoPods_WeighsSharesBySamples()
    {
        TargetStatus[] targets =
        [
            new() { Samples = 3000, MissedSamples = 2, TopFunctions = [new TopFunction { Function = "f", Location = "a.py:1", SelfPercent = 50 }] },
            new() { Samples = 1000, MissedSamples = 1, TopFunctions = [new TopFunction { Function = "g", Location = "b.py:2", SelfPercent = 90 }, new TopFunction { Function = "f", Location = "a.py:1", SelfPercent = 10 }] },
        ];

        var summary = SummaryBuilder.Build(targets);

        Assert.Equal(4000, summary.Samples);
        Assert.Equal(3, summary.MissedSamples);
        Assert.Equal([("f", 40.0), ("g", 22.5)], summary.TopFunctions.Select(t => (t.Function, t.SelfPercent)));
    }

    [Fact]
    public void Build_ManyFunctions_KeepsFive()
    {
        var target = new TargetStatus
        {
            Samples = 100,
            TopFunctions = [.. Enumerable.Range(0, 8).Select(i => new TopFunction { Function = "f" + i, SelfPercent = i })],
        };

        Assert.Equal(5, SummaryBuilder.Build([target]).TopFunctions.Count);
    }

    [Theory]
    [InlineData(5870, "5 870")]
    [InlineData(999, "999")]
    [InlineData(1234567, "1 234 567")]
    public void Grouped_Thousands_SeparatedBySpaces(long value, string expected)
    {
        Assert.Equal(expected, SummaryBuilder.Grouped(value));
    }

    [Fact]
    public void Message_NoSamples_OmitsTop()
    {
        Assert.Equal("1 pod, 0 samples", SummaryBuilder.Message(1, new ProfileSummary()));
    }

    [Fact]
    public void Build_BlockedLoopsInTwoPods_AddsUpAndKeepsTheLongestBlock()
    {
        TargetStatus[] targets =
        [
            new() { Pod = "api-a", Samples = 10, EventLoopBlocked = new EventLoopBlocked { TotalMs = 900, Count = 3, WorstMs = 600, WorstFunction = "sleep", WorstStack = ["slow (a.py:1)", "sleep (a.py:9)"] } },
            new() { Pod = "api-b", Samples = 10 },
            new() { Pod = "api-c", Samples = 10, EventLoopBlocked = new EventLoopBlocked { TotalMs = 300, Count = 2, WorstMs = 200, WorstFunction = "burn", WorstStack = ["burn (c.py:3)"] } },
        ];

        var summary = SummaryBuilder.Build(targets);

        var blocked = summary.EventLoopBlocked!;
        Assert.Equal((1200L, 5, 600L, "sleep", "api-a"), (blocked.TotalMs, blocked.Count, blocked.WorstMs, blocked.WorstFunction, blocked.WorstPod));
        Assert.Equal(["slow (a.py:1)", "sleep (a.py:9)"], blocked.WorstStack);
        Assert.Equal("3 pods, 30 samples; event loop blocked 1.2 s in 5 blocks; worst 600 ms in sleep from slow (a.py:1)", SummaryBuilder.Message(3, summary));
    }
}
