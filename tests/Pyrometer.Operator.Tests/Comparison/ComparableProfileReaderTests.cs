using System.Text;
using Pyrometer.Operator.Api.V1Alpha1;
using Pyrometer.Operator.Comparison;
using Pyrometer.Operator.Storage;
using Pyrometer.Operator.Tests.Fakes;
using Pyrometer.Rendering.Formats;

namespace Pyrometer.Operator.Tests.Comparison;

public sealed class ComparableProfileReaderTests
{
    private const string Folded = "main (app.py:1);work (app.py:5) 30\nmain (app.py:1);idle (app.py:9) 10\n";

    private static ProfileRequest Finished(params (string Pod, string Format)[] artifacts) => new()
    {
        Metadata = new() { Name = "v1", NamespaceProperty = "shop" },
        Status = new ProfileRequestStatus
        {
            Phase = ProfilePhases.Succeeded,
            Targets =
            [
                new TargetStatus { Pod = "api-a", Phase = ProfilePhases.Succeeded },
                new TargetStatus { Pod = "api-b", Phase = ProfilePhases.Succeeded },
                new TargetStatus { Pod = "api-c", Phase = ProfilePhases.Failed },
            ],
            Artifacts = [.. artifacts.Select(a => new ArtifactStatus { Pod = a.Pod, Format = a.Format })],
        },
    };

    private static async Task PutAsync(InMemoryArtifactStore store, string? pod, string format, byte[] content) =>
        await store.WriteAsync(new ArtifactKey("shop", "v1", pod, format, ProfileFormats.Extension(format)), new MemoryStream(content), "x", CancellationToken.None);

    private static byte[] Pprof(string folded)
    {
        using var output = new MemoryStream();
        OutputFormats.Pprof.Write(ProfileLoader.Load(new MemoryStream(Encoding.UTF8.GetBytes(folded)), "t"), output);
        return output.ToArray();
    }

    [Fact]
    public async Task ReadAsync_PerPodFoldedAndPprof_SumsTheSucceededPods()
    {
        var store = new InMemoryArtifactStore();
        await PutAsync(store, "api-a", ProfileFormats.Folded, Encoding.UTF8.GetBytes(Folded));
        await PutAsync(store, "api-b", ProfileFormats.Pprof, Pprof(Folded));
        await PutAsync(store, "api-c", ProfileFormats.Folded, Encoding.UTF8.GetBytes("never read 1000000\n"));   // a failed pod

        var (profile, problem) = await new ComparableProfileReader(store).ReadAsync(
            Finished(("api-a", ProfileFormats.Folded), ("api-a", ProfileFormats.FlameGraph), ("api-b", ProfileFormats.Pprof), ("api-c", ProfileFormats.Folded)),
            CancellationToken.None);

        Assert.Null(problem);
        Assert.Equal(80, profile!.TotalSamples);
    }

    [Fact]
    public void Sources_MergedProfileListed_ReadsOnlyIt()
    {
        var keys = ComparableProfileReader.Sources(Finished(("", ProfileFormats.Pprof), ("", ProfileFormats.Folded), ("api-a", ProfileFormats.Folded)), out _);

        Assert.Equal(["shop/v1/merged/folded.folded"], keys!.Select(k => k.RelativePath));
    }

    [Theory]
    [InlineData("api-a:folded", "pod api-b's profile was stored as nothing only; comparing needs folded or pprof")]
    [InlineData("api-a:folded,api-b:speedscope,api-b:flamegraph", "pod api-b's profile was stored as speedscope, flamegraph only")]
    public void Sources_APodWithoutAComparableFormat_SaysWhich(string listed, string expected)
    {
        var artifacts = listed.Split(',').Select(a => (a.Split(':')[0], a.Split(':')[1])).ToArray();

        Assert.Null(ComparableProfileReader.Sources(Finished(artifacts), out var problem));
        Assert.StartsWith(expected, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("main;work not-a-number\n", "its stored profile is malformed: ")]
    [InlineData("", "its profile has no samples")]
    public async Task ReadAsync_BadOrEmptyContent_Problem(string content, string expected)
    {
        var store = new InMemoryArtifactStore();
        await PutAsync(store, "api-a", ProfileFormats.Folded, Encoding.UTF8.GetBytes(content));
        await PutAsync(store, "api-b", ProfileFormats.Folded, []);

        var (profile, problem) = await new ComparableProfileReader(store).ReadAsync(
            Finished(("api-a", ProfileFormats.Folded), ("api-b", ProfileFormats.Folded)), CancellationToken.None);

        Assert.Null(profile);
        Assert.StartsWith(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_HostilePodNameInStatus_ProblemNotException()
    {
        var request = Finished(("../../etc", ProfileFormats.Folded));
        request.Status!.Targets = [new TargetStatus { Pod = "../../etc", Phase = ProfilePhases.Succeeded }];

        var (profile, problem) = await new ComparableProfileReader(new InMemoryArtifactStore()).ReadAsync(request, CancellationToken.None);

        Assert.Null(profile);
        Assert.Equal("its status names a pod that is no valid name ('../../etc')", problem);
    }
}
