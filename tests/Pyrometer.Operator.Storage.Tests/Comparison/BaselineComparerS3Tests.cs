using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Pyrometer.Kube.Api;
using Pyrometer.Kube.Serialization;
using Pyrometer.Kube.Testing;
using Pyrometer.Operator.Api;
using Pyrometer.Operator.Api.V1Alpha1;
using Pyrometer.Operator.Comparison;
using Pyrometer.Operator.Storage.Tests.Support;

namespace Pyrometer.Operator.Storage.Tests.Comparison;

/// <summary>The comparison reading both profiles back from, and writing its artifacts to, the real S3 server.</summary>
[Trait("Category", "Integration")]
public sealed class BaselineComparerS3Tests(S3Server server) : IClassFixture<S3Server>
{
    private static readonly CancellationToken None = CancellationToken.None;

    private const string Before = "pid 7 gunicorn;main (app.py:3);handle (app.py:10);normalise (app.py:40) 700\npid 7 gunicorn;main (app.py:3);handle (app.py:10);load (db.py:4) 300\n";
    private const string After = "pid 8 gunicorn;main (app.py:3);handle (app.py:10);normalise (app.py:41) 400\npid 8 gunicorn;main (app.py:3);handle (app.py:10);audit (app.py:60) 600\n";

    private S3ArtifactStore Store() => new(
        Options.Create(new StorageOptions
        {
            S3 = new S3StoreOptions
            {
                Bucket = S3Server.Bucket,
                Endpoint = server.Endpoint,
                ForcePathStyle = true,
                AccessKeyId = server.AccessKey,
                SecretAccessKey = server.SecretKey,
                RequestTimeout = TimeSpan.FromSeconds(60),
            },
        }),
        TimeProvider.System,
        NullLogger<S3ArtifactStore>.Instance);

    private static KubeApi Api(FakeApiServer api) =>
        new(new HttpClient { BaseAddress = api.BaseAddress }, TestApi.FastOptions(),
            ResourceRegistry.CreateDefault().Register<ProfileRequest>(ProfileRequest.Resource));

    /// <summary>A Succeeded request of pod api-1 whose status lists a folded artifact for it.</summary>
    private static ProfileRequest Succeeded(string ns, string name, string? baseline = null) => new()
    {
        Metadata = new() { Name = name, NamespaceProperty = ns, Uid = "uid-" + name },
        Spec = new ProfileRequestSpec { Target = new ProfileTarget { Pod = "api-1" }, Baseline = baseline },
        Status = new ProfileRequestStatus
        {
            Phase = ProfilePhases.Succeeded,
            CompletionTime = DateTimeOffset.UtcNow,
            Targets = [new TargetStatus { Pod = "api-1", Container = "api", Phase = ProfilePhases.Succeeded }],
            Artifacts = [new ArtifactStatus { Pod = "api-1", Format = ProfileFormats.Folded }],
        },
    };

    private static string Json(ProfileRequest request) =>
        KubeJson.Serialize(request);

    private static Task PutFoldedAsync(S3ArtifactStore store, string ns, string request, byte[] content) =>
        store.WriteAsync(new ArtifactKey(ns, request, "api-1", ProfileFormats.Folded, "folded"), new MemoryStream(content), "text/plain", None);

    [S3Fact]
    public async Task CompareAsync_BothProfilesInS3_WritesTheThreeArtifactsAndTheVerdict()
    {
        using var store = Store();
        await using var api = await FakeApiServer.StartAsync();
        var ns = "cmp-" + Guid.NewGuid().ToString("N")[..8];
        api.Seed("profilerequests", ns, Json(Succeeded(ns, "v1")));
        await PutFoldedAsync(store, ns, "v1", Encoding.UTF8.GetBytes(Before));
        await PutFoldedAsync(store, ns, "v2", Encoding.UTF8.GetBytes(After));
        var current = Succeeded(ns, "v2", baseline: "v1");

        var outcome = await new BaselineComparer(Api(api), store).CompareAsync(current, current.Status!, None);

        Assert.Equal((Condition.True, Conditions.FunctionGrew), (outcome.Status, outcome.Reason));
        Assert.Equal("Compared with v1: audit (app.py) grew 60 pp total, over the 5 pp threshold.", outcome.Message);
        Assert.Equal(ComparisonFormats.All, outcome.Artifacts.Select(a => a.Format));
        using var http = new HttpClient();
        foreach (var artifact in outcome.Artifacts)
        {
            var key = new ArtifactKey(ns, "v2", null, artifact.Format, ComparisonFormats.Extension(artifact.Format));
            Assert.Equal($"s3://{S3Server.Bucket}/pyrometer/{key.RelativePath}", artifact.Uri);
            var check = await store.VerifyAsync(key, artifact.Bytes!.Value, artifact.Sha256!, None);
            Assert.True(check.Matches, check.Problem);
            var downloaded = await http.GetByteArrayAsync(new Uri(artifact.Url!));
            Assert.Equal(artifact.Sha256, Convert.ToHexStringLower(SHA256.HashData(downloaded)));
        }
        Assert.Equal((1000L, 1000L), (outcome.Comparison!.BeforeSamples, outcome.Comparison.AfterSamples));
        // Both drop 30 pp: a tie, ordered by name.
        Assert.Equal(["load -30", "normalise -30"], outcome.Comparison.Shrank.Select(f => $"{f.Function} {f.TotalChange.ToString(System.Globalization.CultureInfo.InvariantCulture)}"));
    }

    [S3Fact]
    public async Task CompareAsync_BaselineLargerThanTheCap_UnreadableWithoutReadingItAll()
    {
        using var store = Store();
        await using var api = await FakeApiServer.StartAsync();
        var ns = "cmp-" + Guid.NewGuid().ToString("N")[..8];
        api.Seed("profilerequests", ns, Json(Succeeded(ns, "huge")));
        // Valid folded lines, one byte over the cap in all.
        var line = Encoding.UTF8.GetBytes(new string('f', 1023) + " 1\n");
        var huge = new byte[ComparableProfileReader.MaxBytes + 1];
        for (var offset = 0; offset < huge.Length; offset += line.Length)
        {
            line.AsSpan(0, (int)Math.Min(line.Length, huge.Length - offset)).CopyTo(huge.AsSpan(offset));
        }
        await PutFoldedAsync(store, ns, "huge", huge);
        await PutFoldedAsync(store, ns, "v2", Encoding.UTF8.GetBytes(After));
        var current = Succeeded(ns, "v2", baseline: "huge");

        var outcome = await new BaselineComparer(Api(api), store).CompareAsync(current, current.Status!, None);

        Assert.Equal((Condition.Unknown, Conditions.BaselineUnreadable), (outcome.Status, outcome.Reason));
        Assert.Equal("Baseline huge cannot be compared with: its stored profile is larger than the 64 MiB the operator reads for a comparison.", outcome.Message);
        Assert.Empty(outcome.Artifacts);
        Assert.Null(await store.OpenReadAsync(new ArtifactKey(ns, "v2", null, ComparisonFormats.Diff, "svg"), None));
    }

    [S3Fact]
    public async Task CompareAsync_BaselineObjectMissingFromS3_Unreadable()
    {
        using var store = Store();
        await using var api = await FakeApiServer.StartAsync();
        var ns = "cmp-" + Guid.NewGuid().ToString("N")[..8];
        api.Seed("profilerequests", ns, Json(Succeeded(ns, "v1")));
        await PutFoldedAsync(store, ns, "v2", Encoding.UTF8.GetBytes(After));
        var current = Succeeded(ns, "v2", baseline: "v1");

        var outcome = await new BaselineComparer(Api(api), store).CompareAsync(current, current.Status!, None);

        Assert.Equal(Conditions.BaselineUnreadable, outcome.Reason);
        Assert.Contains($"its artifact {ns}/v1/api-1/folded.folded is not in the store", outcome.Message, StringComparison.Ordinal);
    }
}
