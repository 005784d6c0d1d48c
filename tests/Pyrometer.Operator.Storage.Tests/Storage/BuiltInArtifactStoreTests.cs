using System.Net;
using System.Net.Http.Headers;
using Pyrometer.Operator.Storage.Tests.Support;

namespace Pyrometer.Operator.Storage.Tests.Storage;

/// <summary>The built-in store over real HTTP: Kestrel on 127.0.0.1, uploads through the agent's uploader.</summary>
public sealed class BuiltInArtifactStoreTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly ArtifactKey Artifact = new("shop", "search-latency", null, "flamegraph", "svg");

    private readonly TempDirectory _work = new();
    private readonly string _root;

    public BuiltInArtifactStoreTests()
    {
        _root = Path.Combine(_work.Path, "store");
    }

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task PresignUpload_AgentUploads_GetServesSameBytesWithContentType()
    {
        await using var server = await BuiltInServer.StartAsync(_root);
        var (file, sha) = TestFiles.Create(_work.Path, "flame.svg", 300_000, seed: 1);

        var url = await server.Store.PresignUploadAsync(Artifact, TimeSpan.FromMinutes(5), None);
        var outcome = await AgentUpload.PutAsync(url, file, "image/svg+xml", None);

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal(server.UploadAddress.Port, url.Port);
        Assert.Equal("/artifacts/shop/search-latency/merged/flamegraph.svg", url.AbsolutePath);
        var link = await server.Store.LinkAsync(Artifact, None);
        Assert.Equal(server.Address.Port, link.Url.Port);
        using var http = new HttpClient();
        using var response = await http.GetAsync(link.Url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(sha, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await response.Content.ReadAsByteArrayAsync())));
        var check = await server.Store.VerifyAsync(Artifact, 300_000, sha, None);
        Assert.True(check.Matches, check.Problem);
    }

    [Fact]
    public async Task Upload_SignatureAltered_IsRefusedAsForged()
    {
        await using var server = await BuiltInServer.StartAsync(_root);
        var url = await server.Store.PresignUploadAsync(Artifact, TimeSpan.FromMinutes(5), None);
        var query = System.Web.HttpUtility.ParseQueryString(url.Query);
        var signature = query["signature"]!;
        query["signature"] = (signature[0] == 'A' ? 'B' : 'A') + signature[1..];
        var forged = new UriBuilder(url) { Query = query.ToString() }.Uri;

        var (status, body) = await PutAsync(forged, [1, 2, 3]);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("not issued by this operator", body, StringComparison.Ordinal);
        Assert.False(File.Exists(server.BuiltIn.FileOf(Artifact)));
    }

    [Fact]
    public async Task Upload_GenuineSignatureOnOtherPath_IsRefusedAsForged()
    {
        await using var server = await BuiltInServer.StartAsync(_root);
        var url = await server.Store.PresignUploadAsync(Artifact, TimeSpan.FromMinutes(5), None);
        var other = new Uri(server.UploadAddress, "/artifacts/shop/other-request/merged/flamegraph.svg" + url.Query);

        var (status, _) = await PutAsync(other, [1]);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.False(Directory.Exists(Path.Combine(_root, "shop", "other-request")));
    }

    [Fact]
    public async Task Upload_WithoutSignature_IsRefused()
    {
        await using var server = await BuiltInServer.StartAsync(_root);

        var (status, body) = await PutAsync(new Uri(server.UploadAddress, "/artifacts/shop/search-latency/merged/flamegraph.svg"), [1]);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("lacks a well-formed", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_AfterExpiry_IsRefusedAsExpired()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await BuiltInServer.StartAsync(_root, time: time);
        var url = await server.Store.PresignUploadAsync(Artifact, TimeSpan.FromMinutes(5), None);
        time.Advance(TimeSpan.FromMinutes(5));

        var (status, body) = await PutAsync(url, [1]);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("expired", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_JustBeforeExpiry_IsAccepted()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await BuiltInServer.StartAsync(_root, time: time);
        var url = await server.Store.PresignUploadAsync(Artifact, TimeSpan.FromMinutes(5), None);
        time.Advance(TimeSpan.FromMinutes(4));

        var (status, _) = await PutAsync(url, [1]);

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task Upload_SameUrlTwice_SecondIsRefusedAndFirstContentStays()
    {
        await using var server = await BuiltInServer.StartAsync(_root);
        var url = await server.Store.PresignUploadAsync(Artifact, TimeSpan.FromMinutes(5), None);

        var (first, _) = await PutAsync(url, [1, 1, 1]);
        var (second, body) = await PutAsync(url, [2, 2]);

        Assert.Equal(HttpStatusCode.OK, first);
        Assert.Equal(HttpStatusCode.Forbidden, second);
        Assert.Contains("already used", body, StringComparison.Ordinal);
        Assert.Equal([1, 1, 1], await File.ReadAllBytesAsync(server.BuiltIn.FileOf(Artifact)));
    }

    [Fact]
    public async Task Upload_ReplayedAfterOperatorRestart_IsRefused()
    {
        Uri url;
        await using (var first = await BuiltInServer.StartAsync(_root))
        {
            url = await first.Store.PresignUploadAsync(Artifact, TimeSpan.FromMinutes(5), None);
            Assert.Equal(HttpStatusCode.OK, (await PutAsync(url, [1])).Status);
        }
        await using var second = await BuiltInServer.StartAsync(_root);
        var replay = new Uri(second.UploadAddress, url.PathAndQuery);

        var (status, _) = await PutAsync(replay, [2]);

        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Fact]
    public async Task PresignUpload_KeyKeptInDirectory_UrlIssuedBeforeRestartWorksAfter()
    {
        Uri url;
        await using (var first = await BuiltInServer.StartAsync(_root))
        {
            url = await first.Store.PresignUploadAsync(Artifact, TimeSpan.FromMinutes(5), None);
        }
        await using var second = await BuiltInServer.StartAsync(_root);

        var (status, _) = await PutAsync(new Uri(second.UploadAddress, url.PathAndQuery), [7]);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(File.Exists(Path.Combine(_root, BuiltInArtifactStore.KeyFileName)));
    }

    [Fact]
    public async Task PresignUpload_ConfiguredKey_IsUsedAndNoKeyFileWritten()
    {
        var key = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)i).ToArray());
        await using var server = await BuiltInServer.StartAsync(_root, new Dictionary<string, string?> { ["Storage:BuiltIn:SigningKey"] = key });
        var url = await server.Store.PresignUploadAsync(Artifact, TimeSpan.FromMinutes(5), None);

        var (status, _) = await PutAsync(url, [7]);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(File.Exists(Path.Combine(_root, BuiltInArtifactStore.KeyFileName)));
        var expected = new UrlSigner(Convert.FromBase64String(key));
        var query = System.Web.HttpUtility.ParseQueryString(url.Query);
        Assert.Equal(SignatureVerdict.Valid, expected.Check("PUT", Artifact.RelativePath, query["expires"], query["nonce"], query["signature"], DateTimeOffset.UtcNow, query["max"]));
    }

    [Theory]
    [InlineData("/artifacts/../../outside/req/merged/flamegraph.svg")]
    [InlineData("/artifacts/shop/%2e%2e/%2e%2e/outside/flamegraph.svg")]
    [InlineData("/artifacts/shop/search-latency/..%2f..%2foutside/flamegraph.svg")]
    [InlineData("/artifacts/shop/search-latency/merged/..%2F..%2F..%2Foutside.svg")]
    [InlineData("/artifacts/shop\\..\\..\\outside/req/merged/flamegraph.svg")]
    [InlineData("/artifacts/shop/search-latency/merged/%5c..%5c..%5coutside.svg")]
    [InlineData("/artifacts//tmp/req/merged/flamegraph.svg")]
    [InlineData("/artifacts/%2ftmp/req/merged/flamegraph.svg")]
    [InlineData("/artifacts/shop/search-latency/merged/flamegraph.svg/../../../../outside.svg")]
    [InlineData("/artifacts/.nonces/x/merged/flamegraph.svg")]
    [InlineData("/artifacts/shop/search-latency/merged/%252e%252e.svg")]
    public async Task Upload_TraversalTarget_IsRefusedAndWritesNothing(string target)
    {
        await using var server = await BuiltInServer.StartAsync(_root);
        var genuine = await server.Store.PresignUploadAsync(Artifact, TimeSpan.FromMinutes(5), None);

        var status = await RawHttp.SendAsync(server.UploadAddress, "PUT", target + genuine.Query, "pwned"u8.ToArray(), None);

        Assert.True(status is 400 or 404, $"{target} answered {status}");
        Assert.Equal([Path.Combine(_work.Path, "store")], Directory.EnumerateFileSystemEntries(_work.Path));
        Assert.Equal(
            [Path.Combine(_root, BuiltInArtifactStore.KeyFileName)],
            Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Upload_TraversalTargets_AreRefusedByTheStoreNotOnlyByRouting()
    {
        await using var server = await BuiltInServer.StartAsync(_root);
        var genuine = await server.Store.PresignUploadAsync(Artifact, TimeSpan.FromMinutes(5), None);

        var status = await RawHttp.SendAsync(server.UploadAddress, "PUT", "/artifacts/shop/%2e%2e/search-latency/merged/flamegraph.svg" + genuine.Query, [1], None);

        Assert.Equal(400, status);
    }

    [Fact]
    public async Task Upload_DeclaredLengthOverLimit_IsRefusedWith413()
    {
        await using var server = await BuiltInServer.StartAsync(_root, new Dictionary<string, string?> { ["Storage:BuiltIn:MaxUploadBytes"] = "1000" });
        var (file, _) = TestFiles.Create(_work.Path, "big.svg", 5000, seed: 2);

        var outcome = await AgentUpload.PutAsync(await server.Store.PresignUploadAsync(Artifact, TimeSpan.FromMinutes(5), None), file, "image/svg+xml", None);

        Assert.False(outcome.Succeeded);
        Assert.Equal(1, outcome.Attempts);
        Assert.Contains("413", outcome.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(server.BuiltIn.FileOf(Artifact)));
    }

    [Fact]
    public async Task Upload_ChunkedBodyOverLimit_IsRefusedWith413()
    {
        await using var server = await BuiltInServer.StartAsync(_root, new Dictionary<string, string?> { ["Storage:BuiltIn:MaxUploadBytes"] = "1000" });
        var url = await server.Store.PresignUploadAsync(Artifact, TimeSpan.FromMinutes(5), None);
        using var http = new HttpClient();
        using var content = new StreamContent(new NonSeekableStream(new byte[200_000]));

        using var response = await http.PutAsync(url, content);

        Assert.Null(content.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("exceeds this URL's limit of 1000 bytes", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(File.Exists(server.BuiltIn.FileOf(Artifact)));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root, ".tmp")));
    }

    [Fact]
    public async Task Upload_TwentyConcurrent_KeepsEveryByte()
    {
        await using var server = await BuiltInServer.StartAsync(_root);
        var uploads = Enumerable.Range(0, 20).Select(async i =>
        {
            var key = new ArtifactKey("shop", "concurrent", $"api-{i}", "flamegraph", "svg");
            var (file, sha) = TestFiles.Create(_work.Path, $"c{i}.svg", 256 * 1024 + (i * 4099), seed: 100 + i);
            var url = await server.Store.PresignUploadAsync(key, TimeSpan.FromMinutes(5), None);
            var outcome = await AgentUpload.PutAsync(url, file, "image/svg+xml", None);
            return (key, sha, bytes: new FileInfo(file).Length, outcome);
        }).ToList();

        var results = await Task.WhenAll(uploads);

        foreach (var (key, sha, bytes, outcome) in results)
        {
            Assert.True(outcome.Succeeded, outcome.Error);
            Assert.Equal(sha, TestFiles.Sha256Of(server.BuiltIn.FileOf(key)));
            Assert.True((await server.Store.VerifyAsync(key, bytes, sha, None)).Matches);
        }
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root, ".tmp")));
    }

    [Fact]
    public async Task DeleteRequest_RemovesTheRequestFolderOnly()
    {
        await using var server = await BuiltInServer.StartAsync(_root);
        var other = Artifact with { Request = "search-latency-2" };
        await server.Store.WriteAsync(Artifact, new MemoryStream([1]), "image/svg+xml", None);
        await server.Store.WriteAsync(Artifact with { Pod = "api-1" }, new MemoryStream([2]), "image/svg+xml", None);
        await server.Store.WriteAsync(other, new MemoryStream([3]), "image/svg+xml", None);

        await server.Store.DeleteRequestAsync("shop", "search-latency", None);

        Assert.False(Directory.Exists(Path.Combine(_root, "shop", "search-latency")));
        Assert.True(File.Exists(server.BuiltIn.FileOf(other)));
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync((await server.Store.LinkAsync(Artifact, None)).Url)).StatusCode);
        await server.Store.DeleteRequestAsync("shop", "search-latency", None);   // already gone: fine
    }

    [Fact]
    public async Task DeleteRequest_TraversalName_Throws()
    {
        await using var server = await BuiltInServer.StartAsync(_root);

        await Assert.ThrowsAsync<ArgumentException>(() => server.Store.DeleteRequestAsync("shop", "..", None));
    }

    [Fact]
    public async Task Verify_WrongHashOrMissing_SaysWhy()
    {
        await using var server = await BuiltInServer.StartAsync(_root);
        await server.Store.WriteAsync(Artifact, new MemoryStream("abc"u8.ToArray()), "image/svg+xml", None);

        var wrong = await server.Store.VerifyAsync(Artifact, 3, new string('0', 64), None);
        var right = await server.Store.VerifyAsync(Artifact, 3, "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD", None);
        var missing = await server.Store.VerifyAsync(Artifact with { Pod = "gone" }, 3, new string('0', 64), None);

        Assert.False(wrong.Matches);
        Assert.Contains("ba7816bf", wrong.Problem, StringComparison.Ordinal);
        Assert.True(right.Matches, right.Problem);
        Assert.False(missing.Matches);
        Assert.Null(missing.StoredBytes);
    }

    [Fact]
    public async Task LinkAndUri_PublicUrlSet_SignedLinkThereExpiresAfterLinkValidity()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await BuiltInServer.StartAsync(
            _root, new Dictionary<string, string?> { ["Storage:BuiltIn:PublicUrl"] = "http://localhost:8080/", ["Storage:BuiltIn:LinkValidity"] = "2.00:00:00" }, time);

        var link = await server.Store.LinkAsync(Artifact, None);

        Assert.Equal("http://localhost:8080/artifacts/shop/search-latency/merged/flamegraph.svg", link.Url.GetLeftPart(UriPartial.Path));
        var query = System.Web.HttpUtility.ParseQueryString(link.Url.Query);
        Assert.Equal("expires,nonce,signature", string.Join(",", query.AllKeys));
        Assert.Equal((time.GetUtcNow() + TimeSpan.FromDays(2)).ToUnixTimeSeconds(), link.ExpiresAt!.Value.ToUnixTimeSeconds());
        Assert.Equal(link.ExpiresAt.Value.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), query["expires"]);
        Assert.Equal("http://localhost:8080/artifacts/shop/search-latency/merged/flamegraph.svg", server.Store.UriOf(Artifact));
    }

    [Fact]
    public async Task OpenRead_AfterWrite_ReturnsContentAndNullWhenMissing()
    {
        await using var server = await BuiltInServer.StartAsync(_root);
        await server.Store.WriteAsync(Artifact, new NonSeekableStream("main;f 1\n"u8.ToArray()), "text/plain", None);

        await using var read = await server.Store.OpenReadAsync(Artifact, None);
        var missing = await server.Store.OpenReadAsync(Artifact with { Format = "speedscope", Extension = "json" }, None);

        Assert.NotNull(read);
        Assert.Equal("main;f 1\n", await new StreamReader(read).ReadToEndAsync());
        Assert.Null(missing);
    }

    [Fact]
    public async Task PresignUpload_UnsafeKey_Throws()
    {
        await using var server = await BuiltInServer.StartAsync(_root);

        await Assert.ThrowsAsync<ArgumentException>(() => server.Store.PresignUploadAsync(Artifact with { Namespace = "../etc" }, TimeSpan.FromMinutes(1), None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => server.Store.PresignUploadAsync(Artifact, TimeSpan.Zero, None));
    }

    [Fact]
    public async Task PresignUpload_LongerThanSevenDays_ExpiresAfterSevenDays()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await BuiltInServer.StartAsync(_root, time: time);

        var url = await server.Store.PresignUploadAsync(Artifact, TimeSpan.FromDays(30), None);

        var expires = long.Parse(System.Web.HttpUtility.ParseQueryString(url.Query)["expires"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal((time.GetUtcNow() + TimeSpan.FromDays(7)).ToUnixTimeSeconds(), expires);
    }

    [Fact]
    public async Task Get_BadPathOrMissing_AnswersClearly()
    {
        await using var server = await BuiltInServer.StartAsync(_root);
        using var http = new HttpClient();

        using var shallow = await http.GetAsync(new Uri(server.Address, "/artifacts/shop/flamegraph.svg"));
        using var missing = await http.GetAsync((await server.Store.LinkAsync(Artifact, None)).Url);

        Assert.Equal(HttpStatusCode.BadRequest, shallow.StatusCode);
        Assert.Contains("namespace/request/pod/format.extension", await shallow.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Start_PartialUploadsLeftByACrash_OldOnesAreRemoved()
    {
        var temp = Directory.CreateDirectory(Path.Combine(_root, ".tmp")).FullName;
        var old = Path.Combine(temp, "old.part");
        var recent = Path.Combine(temp, "recent.part");
        await File.WriteAllBytesAsync(old, [1]);
        await File.WriteAllBytesAsync(recent, [2]);
        File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddHours(-2));

        await using var server = await BuiltInServer.StartAsync(_root);
        _ = server.Store;   // the store prepares its directory when first used

        Assert.False(File.Exists(old));
        Assert.True(File.Exists(recent));
    }

    [Fact]
    public async Task CheckAccess_WritableDirectory_Succeeds()
    {
        await using var server = await BuiltInServer.StartAsync(_root);

        await server.Store.CheckAccessAsync(None);

        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root, ".tmp")));
    }

    private static async Task<(HttpStatusCode Status, string Body)> PutAsync(Uri url, byte[] body)
    {
        using var http = new HttpClient();
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/svg+xml");
        using var response = await http.PutAsync(url, content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
