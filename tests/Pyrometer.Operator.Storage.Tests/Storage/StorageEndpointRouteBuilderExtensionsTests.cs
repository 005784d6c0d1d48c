using System.Net;
using System.Web;
using Pyrometer.Operator.Storage.Tests.Support;

namespace Pyrometer.Operator.Storage.Tests.Storage;

/// <summary>Signed download links on the read port, over real HTTP: nothing is readable without a valid, unexpired signature.</summary>
public sealed class StorageEndpointRouteBuilderExtensionsTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly ArtifactKey Artifact = new("shop", "search-latency", null, "flamegraph", "svg");
    private static readonly byte[] Svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"u8.ToArray();

    private readonly TempDirectory _work = new();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Get_SignedLink_ServesTheArtifact()
    {
        await using var server = await StartAsync();
        var link = await server.Store.LinkAsync(Artifact, None);
        using var http = new HttpClient();

        using var response = await http.GetAsync(link.Url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Svg, await response.Content.ReadAsByteArrayAsync());
        Assert.True(response.Headers.CacheControl is { Private: true, NoCache: true }, "a shared cache must not keep a profile");
    }

    [Fact]
    public async Task Get_NoSignature_IsRefusedWith401()
    {
        await using var server = await StartAsync();
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(server.Address, "/artifacts/" + Artifact.RelativePath));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("signed links", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("<svg", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_SignatureAltered_IsRefusedWith403()
    {
        await using var server = await StartAsync();
        var link = await server.Store.LinkAsync(Artifact, None);
        var query = HttpUtility.ParseQueryString(link.Url.Query);
        var signature = query["signature"]!;
        query["signature"] = (signature[0] == 'A' ? 'B' : 'A') + signature[1..];

        var status = await GetStatusAsync(new UriBuilder(link.Url) { Query = query.ToString() }.Uri);

        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Fact]
    public async Task Get_ExpiryExtended_IsRefusedWith403()
    {
        await using var server = await StartAsync();
        var link = await server.Store.LinkAsync(Artifact, None);
        var query = HttpUtility.ParseQueryString(link.Url.Query);
        query["expires"] = (long.Parse(query["expires"]!, System.Globalization.CultureInfo.InvariantCulture) + 86_400).ToString(System.Globalization.CultureInfo.InvariantCulture);

        var status = await GetStatusAsync(new UriBuilder(link.Url) { Query = query.ToString() }.Uri);

        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Fact]
    public async Task Get_GenuineQueryOnAnotherArtifact_IsRefusedWith403()
    {
        await using var server = await StartAsync();
        var other = Artifact with { Request = "other-request" };
        await server.Store.WriteAsync(other, new MemoryStream(Svg), "image/svg+xml", None);
        var link = await server.Store.LinkAsync(Artifact, None);

        var status = await GetStatusAsync(new Uri(server.Address, "/artifacts/" + other.RelativePath + link.Url.Query));

        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Fact]
    public async Task Get_AfterLinkValidity_IsRefusedWith403AndWorksJustBefore()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await StartAsync(time, new Dictionary<string, string?> { ["Storage:BuiltIn:LinkValidity"] = "01:00:00" });
        var link = await server.Store.LinkAsync(Artifact, None);

        time.Advance(TimeSpan.FromMinutes(59));
        var before = await GetStatusAsync(link.Url);
        time.Advance(TimeSpan.FromMinutes(1));
        var after = await GetStatusAsync(link.Url);

        Assert.Equal(HttpStatusCode.OK, before);
        Assert.Equal(HttpStatusCode.Forbidden, after);
    }

    [Fact]
    public async Task Get_WithAnUploadUrlsQuery_IsRefusedBecauseTheMethodIsSigned()
    {
        await using var server = await StartAsync();
        var upload = await server.Store.PresignUploadAsync(Artifact, TimeSpan.FromMinutes(5), None);

        var status = await GetStatusAsync(new Uri(server.Address, upload.PathAndQuery));

        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Fact]
    public async Task Get_FromTheSpeedscopeOrigin_IsAllowedCrossOriginAndOtherOriginsAreNot()
    {
        await using var server = await StartAsync(settings: new() { ["Storage:Viewer:SpeedscopeUrl"] = "https://speedscope.example.com/app/" });
        var link = await server.Store.LinkAsync(Artifact, None);
        using var http = new HttpClient();

        using var fromApp = await GetFromAsync(http, link.Url, "https://speedscope.example.com");
        using var fromElsewhere = await GetFromAsync(http, link.Url, "https://evil.example.com");
        using var fromLookalike = await GetFromAsync(http, link.Url, "https://speedscope.example.com.evil.example.com");
        using var unsigned = await GetFromAsync(http, new Uri(server.Address, "/artifacts/" + Artifact.RelativePath), "https://speedscope.example.com");

        Assert.Equal(HttpStatusCode.OK, fromApp.StatusCode);
        Assert.Equal("https://speedscope.example.com", fromApp.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("Origin", fromApp.Headers.Vary);
        Assert.False(fromApp.Headers.Contains("Access-Control-Allow-Credentials"));
        Assert.False(fromElsewhere.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(fromLookalike.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.DoesNotContain("<svg", await unsigned.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_SpeedscopeLinkTurnedOff_AllowsNoOrigin()
    {
        await using var server = await StartAsync(settings: new() { ["Storage:Viewer:SpeedscopeUrl"] = "" });
        var link = await server.Store.LinkAsync(Artifact, None);
        using var http = new HttpClient();

        using var response = await GetFromAsync(http, link.Url, "https://www.speedscope.app");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Options_PreflightFromTheSpeedscopeOrigin_GrantsGetAndPrivateNetworkOnly()
    {
        await using var server = await StartAsync();
        var link = await server.Store.LinkAsync(Artifact, None);
        using var http = new HttpClient();

        using var get = await PreflightAsync(http, link.Url, "https://www.speedscope.app", "GET");
        using var put = await PreflightAsync(http, link.Url, "https://www.speedscope.app", "PUT");
        using var other = await PreflightAsync(http, link.Url, "https://evil.example.com", "GET");

        Assert.Equal(HttpStatusCode.NoContent, get.StatusCode);
        Assert.Equal("https://www.speedscope.app", get.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("GET", get.Headers.GetValues("Access-Control-Allow-Methods").Single());
        Assert.Equal("true", get.Headers.GetValues("Access-Control-Allow-Private-Network").Single());
        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        Assert.False(put.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
    }

    private static async Task<HttpResponseMessage> GetFromAsync(HttpClient http, Uri url, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Origin", origin);
        return await http.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> PreflightAsync(HttpClient http, Uri url, string origin, string method)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, url);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Private-Network", "true");
        return await http.SendAsync(request);
    }

    private async Task<BuiltInServer> StartAsync(TimeProvider? time = null, Dictionary<string, string?>? settings = null)
    {
        var server = await BuiltInServer.StartAsync(Path.Combine(_work.Path, "store"), settings, time);
        await server.Store.WriteAsync(Artifact, new MemoryStream(Svg), "image/svg+xml", None);
        return server;
    }

    private static async Task<HttpStatusCode> GetStatusAsync(Uri url)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(url);
        return response.StatusCode;
    }
}
