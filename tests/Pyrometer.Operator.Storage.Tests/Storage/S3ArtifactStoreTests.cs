using System.Globalization;
using System.Net;
using System.Web;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Pyrometer.Kube.Testing;
using Pyrometer.Operator.Storage.Tests.Support;
using Xunit.Abstractions;

namespace Pyrometer.Operator.Storage.Tests.Storage;

[Trait("Category", "Integration")]
public sealed class S3ArtifactStoreTests(S3Server server, ITestOutputHelper output) : IClassFixture<S3Server>
{
    private static readonly CancellationToken None = CancellationToken.None;

    [S3Fact]
    public async Task PresignUpload_AgentUploadsThenVerifyLinkAndDelete_RoundTrips()
    {
        using var work = new TempDirectory();
        using var store = Store();
        var key = Key("roundtrip");
        var (file, sha) = TestFiles.Create(work.Path, "flame.svg", 200_000, seed: 1);

        var url = await store.PresignUploadAsync(key, TimeSpan.FromMinutes(10), None);
        var outcome = await AgentUpload.PutAsync(url, file, "image/svg+xml", None);

        Assert.True(outcome.Succeeded, outcome.Error);
        var check = await store.VerifyAsync(key, 200_000, sha, None);
        Assert.True(check.Matches, check.Problem);
        Assert.Equal(200_000, check.StoredBytes);
        Assert.Equal($"s3://{S3Server.Bucket}/pyrometer/{key.RelativePath}", store.UriOf(key));

        var link = await store.LinkAsync(key, None);
        using var http = new HttpClient();
        var downloaded = await http.GetByteArrayAsync(link.Url);
        Assert.Equal(sha, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(downloaded)));
        Assert.NotNull(link.ExpiresAt);

        await store.DeleteRequestAsync(key.Namespace, key.Request, None);
        Assert.False((await store.VerifyAsync(key, 200_000, sha, None)).Matches);
        Assert.Null(await store.OpenReadAsync(key, None));
    }

    [S3Fact]
    public async Task Write_CredentialsFromMountedSecretFiles_Works()
    {
        using var secret = new TempDirectory();
        var id = Path.Combine(secret.Path, "accessKeyId");
        var key = Path.Combine(secret.Path, "secretAccessKey");
        await File.WriteAllTextAsync(id, server.AccessKey + "\n");
        await File.WriteAllTextAsync(key, server.SecretKey + "\n");
        var options = new StorageOptions
        {
            S3 = new S3StoreOptions { Bucket = S3Server.Bucket, Endpoint = server.Endpoint, ForcePathStyle = true, AccessKeyIdFile = id, SecretAccessKeyFile = key },
        };
        Assert.True(new StorageOptionsValidator().Validate(null, options).Succeeded);
        using var store = new S3ArtifactStore(Options.Create(options), TimeProvider.System, NullLogger<S3ArtifactStore>.Instance);

        await store.WriteAsync(Key("files"), new MemoryStream([1, 2]), "image/svg+xml", None);

        await store.CheckAccessAsync(None);
    }

    [S3Fact]
    public async Task OperatorGet_S3Configured_StreamsOnlyThroughTheAuthenticatedViewer()
    {
        using var root = new TempDirectory();
        await using var api = await FakeApiServer.StartAsync();
        api.Reviews.AddToken("jane-token", "jane");
        api.Reviews.Allow("jane", "get", "pyrometer.dev", "profilerequests", "shop");
        var settings = new Dictionary<string, string?>
        {
            ["Storage:S3:Bucket"] = S3Server.Bucket,
            ["Storage:S3:Endpoint"] = server.Endpoint.ToString(),
            ["Storage:S3:ForcePathStyle"] = "true",
            ["Storage:S3:AccessKeyId"] = server.AccessKey,
            ["Storage:S3:SecretAccessKey"] = server.SecretKey,
            ["Storage:Viewer:Enabled"] = "true",
        };
        await using var operatorHttp = await BuiltInServer.StartAsync(root.Path, settings, kube: TestApi.Create(api));
        var key = Key("viewer");
        await operatorHttp.Store.WriteAsync(key, new MemoryStream("<svg/>"u8.ToArray()), "image/svg+xml", None);
        using var http = new HttpClient();

        using var unsigned = await http.GetAsync(new Uri(operatorHttp.Address, "/artifacts/" + key.RelativePath));
        using var anonymous = await http.GetAsync(new Uri(operatorHttp.Address, "/viewer/artifacts/" + key.RelativePath));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(operatorHttp.Address, "/viewer/artifacts/" + key.RelativePath));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "jane-token");
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, unsigned.StatusCode);
        Assert.Contains("presigned link", await unsigned.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("<svg/>", await response.Content.ReadAsStringAsync());
    }

    [S3Fact]
    public async Task PresignUpload_HttpEndpoint_SignsHttpPathStyleUrlWithRequestedExpiry()
    {
        using var store = Store();
        var key = Key("presign");

        var url = await store.PresignUploadAsync(key, TimeSpan.FromMinutes(15), None);

        Assert.Equal(Uri.UriSchemeHttp, url.Scheme);
        Assert.Equal(server.Endpoint.Port, url.Port);
        Assert.StartsWith($"/{S3Server.Bucket}/pyrometer/{key.RelativePath}", url.AbsolutePath, StringComparison.Ordinal);
        Assert.Equal("900", HttpUtility.ParseQueryString(url.Query)["X-Amz-Expires"]);
    }

    [S3Fact]
    public async Task PresignUpload_LongerThanSevenDays_IsCappedAtSevenDays()
    {
        using var store = Store();

        var url = await store.PresignUploadAsync(Key("cap"), TimeSpan.FromDays(30), None);

        var expires = int.Parse(HttpUtility.ParseQueryString(url.Query)["X-Amz-Expires"]!, CultureInfo.InvariantCulture);
        Assert.InRange(expires, 604_790, 604_800);
    }

    [S3Fact]
    public async Task PresignUpload_NonPositiveLifetime_Throws()
    {
        using var store = Store();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.PresignUploadAsync(Key("zero"), TimeSpan.Zero, None));
    }

    [S3Fact]
    public async Task Verify_ContentDiffersWithSameSize_ReportsShaMismatch()
    {
        using var work = new TempDirectory();
        using var store = Store();
        var key = Key("mismatch");
        var (file, _) = TestFiles.Create(work.Path, "a.svg", 4096, seed: 2);
        var (_, otherSha) = TestFiles.Create(work.Path, "b.svg", 4096, seed: 3);
        var outcome = await AgentUpload.PutAsync(await store.PresignUploadAsync(key, TimeSpan.FromMinutes(5), None), file, "image/svg+xml", None);
        Assert.True(outcome.Succeeded, outcome.Error);

        var check = await store.VerifyAsync(key, 4096, otherSha, None);

        Assert.False(check.Matches);
        Assert.Equal(4096, check.StoredBytes);
        Assert.Contains("SHA-256", check.Problem, StringComparison.Ordinal);
    }

    [S3Fact]
    public async Task Verify_SizeDiffers_ReportsBothSizes()
    {
        using var work = new TempDirectory();
        using var store = Store();
        var key = Key("size");
        var (file, sha) = TestFiles.Create(work.Path, "a.svg", 1000, seed: 4);
        Assert.True((await AgentUpload.PutAsync(await store.PresignUploadAsync(key, TimeSpan.FromMinutes(5), None), file, "image/svg+xml", None)).Succeeded);

        var check = await store.VerifyAsync(key, 1001, sha, None);

        Assert.False(check.Matches);
        Assert.Equal(1000, check.StoredBytes);
        Assert.Contains("1000 bytes", check.Problem, StringComparison.Ordinal);
        Assert.Contains("1001", check.Problem, StringComparison.Ordinal);
    }

    [S3Fact]
    public async Task Verify_NothingUploaded_ReportsMissing()
    {
        using var store = Store();

        var check = await store.VerifyAsync(Key("never"), 10, new string('0', 64), None);

        Assert.False(check.Matches);
        Assert.Null(check.StoredBytes);
        Assert.Contains("does not exist", check.Problem, StringComparison.Ordinal);
    }

    [S3Fact]
    public async Task Verify_MalformedSha_ThrowsArgumentException()
    {
        using var store = Store();

        await Assert.ThrowsAsync<ArgumentException>(() => store.VerifyAsync(Key("bad-sha"), 10, "xyz", None));
    }

    [S3Fact]
    public async Task WriteThenOpenRead_NonSeekableStream_ReturnsSameBytes()
    {
        using var store = Store();
        var key = Key("merged") with { Format = "folded", Extension = "txt" };
        var content = "main;work;compute 42\nmain;idle 7\n"u8.ToArray();

        await store.WriteAsync(key, new NonSeekableStream(content), "text/plain", None);
        await using var read = await store.OpenReadAsync(key, None);

        Assert.NotNull(read);
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        Assert.Equal(content, copy.ToArray());
        using var client = server.Client(server.AccessKey, server.SecretKey);
        var metadata = await client.GetObjectMetadataAsync(S3Server.Bucket, store.ObjectKey(key));
        Assert.Equal("text/plain", metadata.Headers.ContentType);
    }

    [S3Fact]
    public async Task DeleteRequest_ManyObjects_RemovesOnlyThatRequest()
    {
        using var store = Store();
        var request = "delete-" + Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < 5; i++)
        {
            await store.WriteAsync(new ArtifactKey("shop", request, $"pod-{i}", "flamegraph", "svg"), new MemoryStream([1, 2, 3]), "image/svg+xml", None);
        }
        var neighbour = new ArtifactKey("shop", request + "-other", null, "flamegraph", "svg");
        await store.WriteAsync(neighbour, new MemoryStream([4]), "image/svg+xml", None);

        await store.DeleteRequestAsync("shop", request, None);

        using var client = server.Client(server.AccessKey, server.SecretKey);
        var left = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = S3Server.Bucket, Prefix = $"pyrometer/shop/{request}/" });
        Assert.Empty(left.S3Objects ?? []);
        Assert.NotNull(await store.OpenReadAsync(neighbour, None));
        await store.DeleteRequestAsync("shop", request, None);   // nothing left: still fine
    }

    [S3Fact]
    public async Task CheckAccess_UnknownAccessKey_SaysInvalidAccessKeyId()
    {
        using var store = Store(accessKey: "NOT-A-KEY");

        var e = await Assert.ThrowsAsync<ArtifactStoreException>(() => store.CheckAccessAsync(None));

        Assert.Equal(ArtifactStoreProblem.InvalidCredentials, e.Problem);
        Assert.Contains("InvalidAccessKeyId", e.Message, StringComparison.Ordinal);
        Assert.Contains("Secret", e.Message, StringComparison.Ordinal);
        Assert.False(e.IsTransient);
    }

    [S3Fact]
    public async Task Verify_WrongSecret_SaysSignatureDoesNotMatch()
    {
        using var store = Store(secretKey: "wrong-secret");

        var e = await Assert.ThrowsAsync<ArtifactStoreException>(() => store.VerifyAsync(Key("wrong-secret"), 1, new string('a', 64), None));

        Assert.Equal(ArtifactStoreProblem.InvalidCredentials, e.Problem);
        Assert.Contains("SignatureDoesNotMatch", e.Message, StringComparison.Ordinal);
        Assert.Contains("secret access key", e.Message, StringComparison.Ordinal);
    }

    [S3Fact]
    public async Task Write_MissingBucket_SaysBucketDoesNotExist()
    {
        using var store = Store(bucket: "no-such-bucket");

        var e = await Assert.ThrowsAsync<ArtifactStoreException>(() => store.WriteAsync(Key("nobucket"), new MemoryStream([1]), "image/svg+xml", None));

        Assert.Equal(ArtifactStoreProblem.BucketNotFound, e.Problem);
        Assert.Contains("'no-such-bucket' does not exist", e.Message, StringComparison.Ordinal);
        Assert.Contains("Storage:S3:Bucket", e.Message, StringComparison.Ordinal);
    }

    [S3Fact]
    public async Task Verify_MissingBucket_SaysBucketDoesNotExistRatherThanObjectMissing()
    {
        using var store = Store(bucket: "no-such-bucket");

        var e = await Assert.ThrowsAsync<ArtifactStoreException>(() => store.VerifyAsync(Key("nobucket"), 1, new string('a', 64), None));

        Assert.Equal(ArtifactStoreProblem.BucketNotFound, e.Problem);
    }

    [S3Fact]
    public async Task CheckAccess_NothingListening_SaysUnreachableWithEndpoint()
    {
        var closed = new Uri($"http://127.0.0.1:{ClosedPort()}");
        using var store = Store(endpoint: closed);

        var e = await Assert.ThrowsAsync<ArtifactStoreException>(() => store.CheckAccessAsync(None));

        Assert.Equal(ArtifactStoreProblem.Unreachable, e.Problem);
        Assert.True(e.IsTransient);
        Assert.Contains($"Cannot reach S3 at http://127.0.0.1:{closed.Port}", e.Message, StringComparison.Ordinal);
        Assert.Contains("Storage:S3:Endpoint", e.Message, StringComparison.Ordinal);
    }

    [S3Fact]
    public async Task Failures_NeverCarryPresignedQueryInMessages()
    {
        using var store = Store(secretKey: "wrong-secret");
        var url = await store.PresignUploadAsync(Key("secret"), TimeSpan.FromMinutes(5), None);
        var signature = HttpUtility.ParseQueryString(url.Query)["X-Amz-Signature"]!;

        var e = await Assert.ThrowsAsync<ArtifactStoreException>(() => store.WriteAsync(Key("secret"), new MemoryStream([1]), "image/svg+xml", None));

        Assert.DoesNotContain("X-Amz-Signature", e.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(signature, e.ToString(), StringComparison.Ordinal);
    }

    [S3Fact]
    public async Task PresignUpload_WrongSecret_AgentUploadIsRefusedWithoutRetrying()
    {
        using var work = new TempDirectory();
        using var store = Store(secretKey: "wrong-secret");
        var (file, _) = TestFiles.Create(work.Path, "a.svg", 100, seed: 5);

        var outcome = await AgentUpload.PutAsync(await store.PresignUploadAsync(Key("refused"), TimeSpan.FromMinutes(5), None), file, "image/svg+xml", None);

        Assert.False(outcome.Succeeded);
        Assert.Equal(1, outcome.Attempts);
        Assert.Contains("403", outcome.Error, StringComparison.Ordinal);
    }

    [S3Fact]
    public async Task Upload_FiftyMegabytes_AllocatesFarLessThanTheFile()
    {
        using var work = new TempDirectory();
        using var store = Store();
        var key = Key("large");
        const long size = 50L * 1024 * 1024;
        var (file, sha) = TestFiles.Create(work.Path, "large.svg", size, seed: 6);
        var url = await store.PresignUploadAsync(key, TimeSpan.FromMinutes(10), None);
        await AgentUpload.PutAsync(await store.PresignUploadAsync(Key("warm-up"), TimeSpan.FromMinutes(10), None), TestFiles.Create(work.Path, "w.svg", 10, 7).Path, "image/svg+xml", None);

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var outcome = await AgentUpload.PutAsync(url, file, "image/svg+xml", None);
        var uploadAllocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        before = GC.GetTotalAllocatedBytes(precise: true);
        var check = await store.VerifyAsync(key, size, sha, None);
        var verifyAllocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        output.WriteLine($"50 MiB: the upload allocated {uploadAllocated} bytes, verifying {verifyAllocated} bytes");
        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.True(check.Matches, check.Problem);
        Assert.True(uploadAllocated < size / 10, $"the upload allocated {uploadAllocated} bytes for a {size}-byte file");
        Assert.True(verifyAllocated < size / 10, $"verifying allocated {verifyAllocated} bytes for a {size}-byte object");
    }

    [S3Fact]
    public async Task Upload_ServerRestartsHalfWay_AgentRetriesAndCompletes()
    {
        using var work = new TempDirectory();
        const long size = 16L * 1024 * 1024;
        await using var proxy = ForwardingProxy.Start(server.Endpoint.Port, notifyAfterBytes: size / 4);
        using var store = Store(endpoint: proxy.Endpoint);
        var key = Key("restart");
        var (file, sha) = TestFiles.Create(work.Path, "restart.svg", size, seed: 8);
        var url = await store.PresignUploadAsync(key, TimeSpan.FromMinutes(10), None);

        var upload = AgentUpload.PutAsync(url, file, "image/svg+xml", None);
        await proxy.ThresholdReached.WaitAsync(TimeSpan.FromMinutes(1));   // a quarter sent, the rest held back
        await server.StopAsync();
        await server.StartAsync();
        proxy.Release();
        var outcome = await upload;

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.True(outcome.Attempts > 1, "the first attempt should have been cut off by the restart");
        var check = await store.VerifyAsync(key, size, sha, None);
        Assert.True(check.Matches, check.Problem);
    }

    [S3Fact]
    public async Task Viewer_S3Configured_ComparesStoredProfilesAndSendsSpeedscopeAPresignedLink()
    {
        using var root = new TempDirectory();
        await using var api = await FakeApiServer.StartAsync();
        api.Reviews.AddToken("jane-token", "jane");
        api.Reviews.Allow("jane", "get", "pyrometer.dev", "profilerequests", "shop");
        var run = Guid.NewGuid().ToString("N")[..8];
        var before = new ArtifactKey("shop", "before-" + run, null, "folded", "folded");
        var after = new ArtifactKey("shop", "after-" + run, null, "folded", "folded");
        var speedscope = new ArtifactKey("shop", "after-" + run, null, "speedscope", "speedscope.json");
        var catalog = new FakeCatalog(
            ViewerCompareEndpointsTests.Succeeded(before),
            new ViewerEntry("shop", after.Request, "Succeeded", "Completed", null, null, null, [new ViewerArtifact(after, null), new ViewerArtifact(speedscope, null)]));
        var settings = new Dictionary<string, string?>
        {
            ["Storage:S3:Bucket"] = S3Server.Bucket,
            ["Storage:S3:Endpoint"] = server.Endpoint.ToString(),
            ["Storage:S3:ForcePathStyle"] = "true",
            ["Storage:S3:AccessKeyId"] = server.AccessKey,
            ["Storage:S3:SecretAccessKey"] = server.SecretKey,
            ["Storage:Viewer:Enabled"] = "true",
        };
        await using var operatorHttp = await BuiltInServer.StartAsync(root.Path, settings, catalog: catalog, kube: TestApi.Create(api));
        await operatorHttp.Store.WriteAsync(before, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(ViewerCompareEndpointsTests.BeforeFolded)), "text/plain", None);
        await operatorHttp.Store.WriteAsync(after, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(ViewerCompareEndpointsTests.AfterFolded)), "text/plain", None);
        await operatorHttp.Store.WriteAsync(speedscope, new MemoryStream("{}"u8.ToArray()), "application/json", None);
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = operatorHttp.Address };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "jane-token");

        using var compare = await http.GetAsync(new Uri($"viewer/compare/changes.json?before=shop/{before.Request}&after=shop/{after.Request}", UriKind.Relative));
        var changes = System.Text.Json.Nodes.JsonNode.Parse(await compare.Content.ReadAsStringAsync())!;
        using var redirect = await http.GetAsync(new Uri("viewer/speedscope/" + speedscope.RelativePath, UriKind.Relative));
        var location = redirect.Headers.Location!.OriginalString;
        var profileUrl = Uri.UnescapeDataString(location.Split("#profileURL=")[1].Split('&')[0]);
        using var anonymous = new HttpClient();
        using var profile = await anonymous.GetAsync(new Uri(profileUrl));

        Assert.Equal(HttpStatusCode.OK, compare.StatusCode);
        Assert.Equal("parse", changes["grew"]![0]!["function"]!.GetValue<string>());
        Assert.Equal("legacy_render", changes["shrank"]![0]!["function"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.SeeOther, redirect.StatusCode);
        Assert.StartsWith(ViewerOptions.DefaultSpeedscopeUrl + "#profileURL=", location, StringComparison.Ordinal);
        Assert.StartsWith(server.Endpoint.ToString(), profileUrl, StringComparison.Ordinal);
        Assert.Contains("X-Amz-Signature=", profileUrl, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, profile.StatusCode);
        Assert.Equal("{}", await profile.Content.ReadAsStringAsync());
    }

    private S3ArtifactStore Store(string? accessKey = null, string? secretKey = null, string bucket = S3Server.Bucket, Uri? endpoint = null)
    {
        var options = new StorageOptions
        {
            S3 = new S3StoreOptions
            {
                Bucket = bucket,
                Endpoint = endpoint ?? server.Endpoint,
                ForcePathStyle = true,
                AccessKeyId = accessKey ?? server.AccessKey,
                SecretAccessKey = secretKey ?? server.SecretKey,
                RequestTimeout = TimeSpan.FromSeconds(20),
            },
        };
        return new S3ArtifactStore(Options.Create(options), TimeProvider.System, NullLogger<S3ArtifactStore>.Instance);
    }

    private static ArtifactKey Key(string request) =>
        new("shop", request + "-" + Guid.NewGuid().ToString("N")[..8], null, "flamegraph", "svg");

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;   // closed again once the listener is disposed
    }
}
