using Pyrometer.Rendering.Model;

namespace Pyrometer.Rendering.Tests.Model;

public sealed class TimelineRecorderTests
{
    // Stamps in microseconds, so the expected weights read directly.
    private const long Frequency = 1_000_000;

    [Fact]
    public void Build_ConsecutiveTicksOnOneStack_OneRunLastingUntilTheNextStack()
    {
        var (builder, recorder, track) = Start();
        var a = builder.AddSampleIndexed([builder.InternPython("a", "x.py", 1)]);
        var b = builder.AddSampleIndexed([builder.InternPython("b", "x.py", 2)]);
        // Ticks end at 0, 10 000, 25 000, 30 000 µs: a, a, b, a.
        Sample(recorder, track, a, 0);
        Sample(recorder, track, a, 10_000);
        Sample(recorder, track, b, 25_000);
        Sample(recorder, track, a, 30_000);

        var timeline = builder.Build(ProfileMetadata.None, recorder).Timeline!;

        var only = Assert.Single(timeline.Tracks);
        Assert.Equal([0, 1, 0], only.Stacks);      // canonical order: a before b
        Assert.Equal([25_000L, 5_000, 10_000], only.Weights);   // the last tick lasts the mean gap
        Assert.Equal(40_000, timeline.EndMicroseconds);
        Assert.Equal(only.Stacks.Count, only.OrderedCount);
        Assert.False(timeline.Truncated);
    }

    [Fact]
    public void Build_TicksWithoutTheThread_AreGapsSoThreadsLineUp()
    {
        var (builder, recorder, main) = Start();
        var worker = recorder.AddTrack(7, "python app.py", 102, "worker");
        var a = builder.AddSampleIndexed([builder.InternPython("a", "x.py", 1)]);
        var w = builder.AddSampleIndexed([builder.InternPython("w", "x.py", 9)]);
        recorder.Add(main, a, 0);
        Sample(recorder, worker, w, 0);
        recorder.TickCompleted(10_000);                 // nothing ran
        Sample(recorder, worker, w, 20_000);
        Sample(recorder, main, a, 30_000);

        var timeline = builder.Build(ProfileMetadata.None, recorder).Timeline!;

        Assert.Equal(["pid 7 python app.py / thread 101 MainThread", "pid 7 python app.py / thread 102 worker"], timeline.Tracks.Select(t => t.Name));
        Assert.Equal([0, -1, 0], timeline.Tracks[0].Stacks);
        Assert.Equal([10_000L, 20_000, 10_000], timeline.Tracks[0].Weights);
        Assert.Equal([1, -1, 1, -1], timeline.Tracks[1].Stacks);
        Assert.Equal([10_000L, 10_000, 10_000, 10_000], timeline.Tracks[1].Weights);
        Assert.All(timeline.Tracks, t => Assert.Equal(timeline.EndMicroseconds, t.Weights.Sum()));
    }

    [Fact]
    public void Add_StackHandedOverTicksLate_CountsAtTheTickItWasRead()
    {
        var (builder, recorder, track) = Start();
        var a = builder.AddSampleIndexed([builder.InternPython("a", "x.py", 1)]);
        var b = builder.AddSampleIndexed([builder.InternPython("b", "x.py", 2)]);
        recorder.TickCompleted(1_000);
        recorder.TickCompleted(11_000);
        recorder.TickCompleted(21_000);
        // cpu mode: the stacks read at the ticks that started at 500 and 10 500 arrive during the third tick.
        recorder.Add(track, a, 500);
        recorder.Add(track, b, 10_500);
        recorder.TickCompleted(31_000);

        var timeline = builder.Build(ProfileMetadata.None, recorder).Timeline!;

        var only = Assert.Single(timeline.Tracks);
        Assert.Equal([0, 1, -1], only.Stacks);
        Assert.Equal([10_000L, 10_000, 20_000], only.Weights);
    }

    [Fact]
    public void Build_PastTheRunCap_OrderStopsAndTheRestIsCountedAtTheEnd()
    {
        var builder = new ProfileBuilder();
        var recorder = new TimelineRecorder(Frequency, 100, maxRuns: 3);
        var track = recorder.AddTrack(1, "p", 2, "t");
        var a = builder.AddSampleIndexed([builder.InternPython("a", "x.py", 1)]);
        var b = builder.AddSampleIndexed([builder.InternPython("b", "x.py", 2)]);
        long at = 0;
        foreach (var stack in new[] { a, b, a, b, b, a, b })
        {
            if (at > 0)
            {
                builder.AddSampleAt(stack);
            }
            Sample(recorder, track, stack, at);
            at += 10_000;
        }

        var timeline = builder.Build(ProfileMetadata.None, recorder).Timeline!;

        Assert.True(timeline.Truncated);
        var only = Assert.Single(timeline.Tracks);
        Assert.Equal(3, only.OrderedCount);
        Assert.Equal([0, 1, 0], only.Stacks.Take(3));
        // After the cap: b three times, a once, in stack order, each an average gap.
        Assert.Equal([0, 1], only.Stacks.Skip(3));
        Assert.Equal([10_000L, 30_000], only.Weights.Skip(3));
    }

    [Fact]
    public void TickCompleted_PastTheTickCap_StopsTheOrder()
    {
        var builder = new ProfileBuilder();
        var recorder = new TimelineRecorder(Frequency, 100, maxTicks: 2);
        var track = recorder.AddTrack(1, "p", 2, "t");
        var a = builder.AddSampleIndexed([builder.InternPython("a", "x.py", 1)]);
        Sample(recorder, track, a, 0);
        Sample(recorder, track, a, 10_000);
        Sample(recorder, track, a, 20_000);

        var timeline = builder.Build(ProfileMetadata.None, recorder).Timeline!;

        Assert.True(timeline.Truncated);
        Assert.Equal(2, timeline.Ticks);
        Assert.Equal([0, 0], timeline.Tracks[0].Stacks);
        Assert.Equal(1, timeline.Tracks[0].OrderedCount);
    }

    [Fact]
    public void Rename_ThreadNamedLate_TrackShowsTheLastName()
    {
        var (builder, recorder, track) = Start();
        var a = builder.AddSampleIndexed([builder.InternPython("a", "x.py", 1)]);
        Sample(recorder, track, a, 0);
        recorder.Rename(track, "ingest");

        Assert.Equal("pid 7 python app.py / thread 101 ingest", builder.Build(ProfileMetadata.None, recorder).Timeline!.Tracks[0].Name);
    }

    private static (ProfileBuilder Builder, TimelineRecorder Recorder, int Track) Start()
    {
        var recorder = new TimelineRecorder(Frequency, 100);
        return (new ProfileBuilder(), recorder, recorder.AddTrack(7, "python app.py", 101, "MainThread"));
    }

    // One tick that read this stack and ended at the same stamp.
    private static void Sample(TimelineRecorder recorder, int track, int stack, long at)
    {
        recorder.Add(track, stack, at);
        recorder.TickCompleted(at);
    }
}
