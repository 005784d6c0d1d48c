using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Pyrometer.Operator.Storage.Tests.Support;

namespace Pyrometer.Operator.Storage.Tests.Storage;

/// <summary>
/// What an upload URL let in that is not what the agent reported is deleted: with the built-in store and with a
/// real S3 server, whose presigned PUTs accept any body.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ArtifactVerificationTests(S3Server s3) : IClassFixture<S3Server>, IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly TempDirectory _work = new();

    public void Dispose() => _work.Dispose();

    [S3Fact]
    public async Task VerifyOrDelete_S3ObjectOfAnotherSize_IsDeletedAndSaysSo()
    {
        using var store = S3Store();
        var key = Key();
        var (reported, sha) = TestFiles.Create(_work.Path, "agent.svg", 10_000, seed: 1);
        var (planted, _) = TestFiles.Create(_work.Path, "planted.svg", 50_000, seed: 2);
        var url = await store.PresignUploadAsync(key, TimeSpan.FromMinutes(5), None);
        Assert.True((await AgentUpload.PutAsync(url, planted, "image/svg+xml", None)).Succeeded);   // the target got there first

        var check = await ArtifactVerification.VerifyOrDeleteAsync(store, key, new FileInfo(reported).Length, sha, None);

        Assert.False(check.Matches);
        Assert.True(check.Deleted);
        Assert.StartsWith("failed verification and was deleted: ", check.Problem, StringComparison.Ordinal);
        Assert.Contains("holds 50000 bytes but the agent reported 10000", check.Problem, StringComparison.Ordinal);
        Assert.Null(await store.OpenReadAsync(key, None));
    }

    [S3Fact]
    public async Task VerifyOrDelete_S3ObjectOfSameSizeOtherContent_IsDeleted()
    {
        using var store = S3Store();
        var key = Key();
        var (_, sha) = TestFiles.Create(_work.Path, "agent.svg", 4096, seed: 1);
        var (planted, _) = TestFiles.Create(_work.Path, "planted.svg", 4096, seed: 9);
        var url = await store.PresignUploadAsync(key, TimeSpan.FromMinutes(5), None);
        Assert.True((await AgentUpload.PutAsync(url, planted, "image/svg+xml", None)).Succeeded);

        var check = await ArtifactVerification.VerifyOrDeleteAsync(store, key, 4096, sha, None);

        Assert.True(check.Deleted);
        Assert.Contains("SHA-256", check.Problem, StringComparison.Ordinal);
        Assert.Null(await store.OpenReadAsync(key, None));
    }

    [S3Fact]
    public async Task VerifyOrDelete_S3ObjectAsReported_IsKept()
    {
        using var store = S3Store();
        var key = Key();
        var (file, sha) = TestFiles.Create(_work.Path, "agent.svg", 4096, seed: 1);
        var url = await store.PresignUploadAsync(key, TimeSpan.FromMinutes(5), None);
        Assert.True((await AgentUpload.PutAsync(url, file, "image/svg+xml", None)).Succeeded);

        var check = await ArtifactVerification.VerifyOrDeleteAsync(store, key, 4096, sha, None);

        Assert.True(check.Matches, check.Problem);
        Assert.False(check.Deleted);
        await using var kept = await store.OpenReadAsync(key, None);
        Assert.NotNull(kept);
    }

    [Fact]
    public async Task VerifyOrDelete_BuiltInMismatch_IsDeletedAndMissingIsLeftAlone()
    {
        await using var server = await BuiltInServer.StartAsync(Path.Combine(_work.Path, "store"));
        var key = Key();
        await server.Store.WriteAsync(key, new MemoryStream(new byte[100]), "image/svg+xml", None);

        var mismatch = await ArtifactVerification.VerifyOrDeleteAsync(server.Store, key, 99, new string('0', 64), None);
        var missing = await ArtifactVerification.VerifyOrDeleteAsync(server.Store, key with { Pod = "api-2" }, 99, new string('0', 64), None);

        Assert.True(mismatch.Deleted);
        Assert.False(File.Exists(server.BuiltIn.FileOf(key)));
        Assert.False(missing.Deleted);
        Assert.Contains("never arrived", missing.Problem, StringComparison.Ordinal);
    }

    private S3ArtifactStore S3Store() => new(
        Options.Create(new StorageOptions
        {
            S3 = new S3StoreOptions { Bucket = S3Server.Bucket, Endpoint = s3.Endpoint, ForcePathStyle = true, AccessKeyId = s3.AccessKey, SecretAccessKey = s3.SecretKey },
        }),
        TimeProvider.System,
        NullLogger<S3ArtifactStore>.Instance);

    private static ArtifactKey Key() => new("shop", "verify-" + Guid.NewGuid().ToString("N")[..8], null, "flamegraph", "svg");
}
