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
}
