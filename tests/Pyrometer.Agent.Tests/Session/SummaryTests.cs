using Pyrometer.Agent.Contracts;
using Pyrometer.Agent.Session;
using Pyrometer.Sampling.Sampling;

namespace Pyrometer.Agent.Tests.Session;

public sealed class SummaryTests
{
    [Fact]
    public void Print_ArtifactUnderTheTempDirectory_IsNamed()
    {
        var path = Path.Combine(Path.GetTempPath(), "profiles", "pyrometer-7.svg");
        using var output = new StringWriter();

        Summary.Print(output, new AgentResult { Status = ResultStatus.Ok }, [new WrittenArtifact("flamegraph", path, 1234, "ab")], new SamplerStats());

        Assert.Contains($"wrote {path} (flamegraph, 1,234 bytes)", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Print_TemporaryUploadCopy_IsNamedAndSaidToBeRemoved()
    {
        using var output = new StringWriter();

        Summary.Print(output, new AgentResult { Status = ResultStatus.Ok }, [new WrittenArtifact("pprof", "/tmp/pyrometer-x/pprof.pb.gz", 10, "ab")], new SamplerStats(),
            path => path.StartsWith("/tmp/pyrometer-x/", StringComparison.Ordinal));

        Assert.Contains("wrote /tmp/pyrometer-x/pprof.pb.gz (pprof, 10 bytes; a temporary copy for the upload, now removed)", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Counts_EveryNumberSaysWhatItCounts()
    {
        var result = new AgentResult
        {
            Status = ResultStatus.Ok, Samples = 1520, ErrorSamples = 12, MissedSamples = 3, DurationSeconds = 10, Rate = 100,
            Processes = [new(1, "a", "3.12", 1000), new(2, "b", "3.12", 400), new(3, "c", "3.12", 120)],
        };
        var stats = new SamplerStats { Ticks = 990, Elapsed = TimeSpan.FromSeconds(10), Calls = 3000, ProcessSamples = 2970 };

        Assert.Equal(
            "pyrometer: 1,520 samples (thread stacks) from 3 processes in 10.0 s at 100 Hz (99.0 ticks/s achieved); 12 dropped: the stack changed while being read; "
            + "3 ticks missed: the sampler fell behind; 1.0 memory reads per process sample",
            Summary.Counts(result, stats));
    }

    [Fact]
    public void Print_BlockedLoop_GetsItsLineOnlyWhenBlocksWereSeen()
    {
        using var quiet = new StringWriter();
        using var blocked = new StringWriter();

        Summary.Print(quiet, new AgentResult { Status = ResultStatus.Ok }, [], new SamplerStats());
        Summary.Print(blocked, new AgentResult { Status = ResultStatus.Ok, EventLoopBlocked = new(1200, 14, 340, "get", ["search_listings (app.py:42)", "get (api.py:9)"]) }, [], new SamplerStats());

        Assert.DoesNotContain("event loop", quiet.ToString(), StringComparison.Ordinal);
        Assert.Contains("pyrometer: event loop blocked 1.2 s in 14 blocks; worst 340 ms in get from search_listings (app.py:42)\n", blocked.ToString().ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }
}
