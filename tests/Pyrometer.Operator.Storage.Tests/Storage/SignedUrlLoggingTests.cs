using System.Net.Http.Headers;
using System.Web;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pyrometer.Operator.Storage.Tests.Support;

namespace Pyrometer.Operator.Storage.Tests.Storage;

/// <summary>
/// Signed URLs are credentials: a whole presign, upload, replay, link and download cycle logs at every level
/// (the operator's own lines and ASP.NET Core's), and no line may carry a signature, a nonce or a query string.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SignedUrlLoggingTests(S3Server s3) : IClassFixture<S3Server>, IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly ArtifactKey Artifact = new("shop", "search-latency", null, "flamegraph", "svg");

    private readonly TempDirectory _work = new();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task BuiltInCycle_LogsNoSignatureNonceOrQuery()
    {
        using var logs = new CapturingLoggerProvider();
        await using var server = await BuiltInServer.StartAsync(Path.Combine(_work.Path, "store"), logs: logs);
        var (file, _) = TestFiles.Create(_work.Path, "flame.svg", 20_000, seed: 3);

        var upload = await server.Store.PresignUploadAsync(Artifact, TimeSpan.FromMinutes(5), None);
        var outcome = await AgentUpload.PutAsync(upload, file, "image/svg+xml", None);
        var replay = await AgentUpload.PutAsync(upload, file, "image/svg+xml", None);
        var link = await server.Store.LinkAsync(Artifact, None);
        using var http = new HttpClient();
        using var download = await http.GetAsync(link.Url);
        using var forged = await http.GetAsync(new Uri(link.Url.GetLeftPart(UriPartial.Path) + "?expires=1&nonce=AAAAAAAAAAAAAAAAAAAAAA&signature=bad"));

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.False(replay.Succeeded);
        Assert.True(download.IsSuccessStatusCode);
        Assert.Contains(logs.Lines, line => line.Contains("Stored artifact", StringComparison.Ordinal));   // logging was on
        AssertNoSecrets(logs.Lines, upload, link.Url);
    }

    [S3Fact]
    public async Task S3Cycle_LogsNoSignatureOrCredential()
    {
        using var logs = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var options = new StorageOptions
        {
            S3 = new S3StoreOptions { Bucket = S3Server.Bucket, Endpoint = s3.Endpoint, ForcePathStyle = true, AccessKeyId = s3.AccessKey, SecretAccessKey = s3.SecretKey },
        };
        using var store = new S3ArtifactStore(Options.Create(options), TimeProvider.System, loggers.CreateLogger<S3ArtifactStore>());
        var key = Artifact with { Request = "logging-" + Guid.NewGuid().ToString("N")[..8] };
        var (file, _) = TestFiles.Create(_work.Path, "flame.svg", 20_000, seed: 4);

        var upload = await store.PresignUploadAsync(key, TimeSpan.FromMinutes(5), None);
        var outcome = await AgentUpload.PutAsync(upload, file, "image/svg+xml", None);
        var link = await store.LinkAsync(key, None);
        var mismatch = await ArtifactVerification.VerifyOrDeleteAsync(store, key, 20_000, new string('0', 64), None);
        using var http = new HttpClient();
        using var gone = await http.GetAsync(link.Url);

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.True(mismatch.Deleted);
        Assert.False(gone.IsSuccessStatusCode);
        Assert.NotEmpty(logs.Lines);
        AssertNoSecrets(logs.Lines, upload, link.Url);
    }

    private static void AssertNoSecrets(IReadOnlyList<string> lines, params Uri[] urls)
    {
        var secrets = new List<string> { "signature=", "X-Amz-Signature", "X-Amz-Credential", "?expires=" };
        foreach (var url in urls)
        {
            var query = HttpUtility.ParseQueryString(url.Query);
            secrets.AddRange(new[] { query["nonce"], query["signature"], query["X-Amz-Signature"] }.OfType<string>());
        }
        foreach (var line in lines)
        {
            foreach (var secret in secrets)
            {
                Assert.False(line.Contains(secret, StringComparison.OrdinalIgnoreCase), $"A log line carries '{secret}': {line}");
            }
        }
    }
}
