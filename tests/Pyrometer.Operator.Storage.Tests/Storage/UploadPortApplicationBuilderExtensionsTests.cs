using System.Net;
using System.Net.Http.Headers;
using System.Web;
using Pyrometer.Operator.Storage.Tests.Support;

namespace Pyrometer.Operator.Storage.Tests.Storage;

/// <summary>The upload port takes agent uploads and nothing else; the read port takes no uploads; the signed size limit holds.</summary>
public sealed class UploadPortApplicationBuilderExtensionsTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly ArtifactKey Artifact = new("shop", "search-latency", null, "flamegraph", "svg");

    private readonly TempDirectory _work = new();
    private readonly string _root;

    public UploadPortApplicationBuilderExtensionsTests()
    {
        _root = Path.Combine(_work.Path, "store");
    }

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Get_SignedLinkOnTheUploadPort_IsNotServed()
    {
        await using var server = await BuiltInServer.StartAsync(_root);
        await server.Store.WriteAsync(Artifact, new MemoryStream([1, 2, 3]), "image/svg+xml", None);
        var link = await server.Store.LinkAsync(Artifact, None);
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(server.UploadAddress, link.Url.PathAndQuery));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("only accepts agent uploads", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_UploadUrlOnTheReadPort_IsNotAccepted()
    {
        await using var server = await BuiltInServer.StartAsync(_root);
        var url = await server.Store.PresignUploadAsync(Artifact, TimeSpan.FromMinutes(5), None);

        var (status, _) = await PutAsync(new Uri(server.Address, url.PathAndQuery), [1]);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, status);
        Assert.False(File.Exists(server.BuiltIn.FileOf(Artifact)));
        var (upload, _) = await PutAsync(url, [1]);
        Assert.Equal(HttpStatusCode.OK, upload);   // the URL was not used up by the refused attempt
    }

    [Fact]
    public async Task Put_ReplayedUrl_IsRefusedAndTheFirstBodyStays()
    {
        await using var server = await BuiltInServer.StartAsync(_root);
        var url = await server.Store.PresignUploadAsync(Artifact, TimeSpan.FromMinutes(5), None);

        var (first, _) = await PutAsync(url, [1]);
        var (replay, body) = await PutAsync(url, [6, 6, 6]);

        Assert.Equal(HttpStatusCode.OK, first);
        Assert.Equal(HttpStatusCode.Forbidden, replay);
        Assert.Contains("already used", body, StringComparison.Ordinal);
        Assert.Equal([1], await File.ReadAllBytesAsync(server.BuiltIn.FileOf(Artifact)));
    }

    [Fact]
    public async Task Put_BodyOverTheSignedLimit_IsRefusedEvenAfterTheSettingGrew()
    {
        Uri url;
        await using (var small = await BuiltInServer.StartAsync(_root, new Dictionary<string, string?> { ["Storage:BuiltIn:MaxUploadBytes"] = "1000" }))
        {
            url = await small.Store.PresignUploadAsync(Artifact, TimeSpan.FromMinutes(5), None);
        }
        await using var server = await BuiltInServer.StartAsync(_root, new Dictionary<string, string?> { ["Storage:BuiltIn:MaxUploadBytes"] = "1000000" });

        var (status, body) = await PutAsync(new Uri(server.UploadAddress, url.PathAndQuery), new byte[1001]);

        Assert.Equal("1000", HttpUtility.ParseQueryString(url.Query)["max"]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("limit of 1000 bytes", body, StringComparison.Ordinal);
        Assert.False(File.Exists(server.BuiltIn.FileOf(Artifact)));
    }

    [Fact]
    public async Task Put_SignedLimitRaised_IsRefusedAsForged()
    {
        await using var server = await BuiltInServer.StartAsync(_root, new Dictionary<string, string?> { ["Storage:BuiltIn:MaxUploadBytes"] = "1000" });
        var url = await server.Store.PresignUploadAsync(Artifact, TimeSpan.FromMinutes(5), None);
        var query = HttpUtility.ParseQueryString(url.Query);
        query["max"] = "999999999";

        var (status, body) = await PutAsync(new UriBuilder(url) { Query = query.ToString() }.Uri, new byte[10]);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("not issued by this operator", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_WithoutTheLimitParameter_IsRefused()
    {
        await using var server = await BuiltInServer.StartAsync(_root);
        var url = await server.Store.PresignUploadAsync(Artifact, TimeSpan.FromMinutes(5), None);
        var query = HttpUtility.ParseQueryString(url.Query);
        query.Remove("max");

        var (status, _) = await PutAsync(new UriBuilder(url) { Query = query.ToString() }.Uri, [1]);

        Assert.Equal(HttpStatusCode.Forbidden, status);
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
