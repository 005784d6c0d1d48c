using System.Security.Cryptography;
using System.Text;
using Pyrometer.Kubectl.Api;
using Pyrometer.Kubectl.Record;

namespace Pyrometer.Kubectl.Tests.Record;

public sealed class ArtifactDownloaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kubectl-pyrometer-dl-").FullName;
    private readonly HttpClient _http = new();

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        _http.Dispose();
    }

    [Fact]
    public async Task Download_Artifacts_WritesOneFilePerPodAndFormat()
    {
        await using var server = await ArtifactServer.StartAsync();
        var svg = Encoding.UTF8.GetBytes("<svg/>");
        var folded = Encoding.UTF8.GetBytes("a;b 3\n");
        var downloader = new ArtifactDownloader(_http, new DownloadLimits());

        var results = await downloader.DownloadAsync(
            [Artifact("flamegraph", "", server.Put("m.svg", svg), svg), Artifact("folded", "shop-1", server.Put("p.folded", folded), folded)],
            _directory, CancellationToken.None);

        Assert.All(results, r => Assert.Null(r.Error));
        Assert.Equal(svg, await File.ReadAllBytesAsync(Path.Combine(_directory, "merged-flamegraph.svg")));
        Assert.Equal(folded, await File.ReadAllBytesAsync(Path.Combine(_directory, "shop-1-folded.folded")));
    }

    [Fact]
    public async Task Download_EndlessBody_StopsAtTheCapAndKeepsNothing()
    {
        await using var server = await ArtifactServer.StartAsync();
        var downloader = new ArtifactDownloader(_http, new DownloadLimits(MaxFileBytes: 1 << 20));

        var result = (await downloader.DownloadAsync([new ArtifactView("flamegraph", "", server.Url("endless"), null, null)], _directory, CancellationToken.None)).Single();

        Assert.Null(result.Path);
        Assert.Contains("passed the 1048576-byte limit", result.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public async Task Download_DeclaredLengthOverCap_IsRefusedBeforeTheBody()
    {
        await using var server = await ArtifactServer.StartAsync();
        var downloader = new ArtifactDownloader(_http, new DownloadLimits(MaxFileBytes: 1 << 20));

        var result = (await downloader.DownloadAsync([new ArtifactView("flamegraph", "", server.Url("claims-huge"), null, null)], _directory, CancellationToken.None)).Single();

        Assert.Contains("offers 10737418240 bytes", result.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public async Task Download_StatusSizeOverCap_IsNotRequestedAtAll()
    {
        await using var server = await ArtifactServer.StartAsync();
        var url = server.Put("big.svg", new byte[16]);
        var downloader = new ArtifactDownloader(_http, new DownloadLimits(MaxFileBytes: 8));

        var result = (await downloader.DownloadAsync([new ArtifactView("flamegraph", "", url, 16, null)], _directory, CancellationToken.None)).Single();

        Assert.Contains("over the 8-byte limit", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, server.Hits("/files/big.svg"));
    }

    [Fact]
    public async Task Download_TotalBudget_SpansArtifacts()
    {
        await using var server = await ArtifactServer.StartAsync();
        var content = new byte[600];
        var downloader = new ArtifactDownloader(_http, new DownloadLimits(MaxFileBytes: 1000, MaxTotalBytes: 1000));

        var results = await downloader.DownloadAsync(
            [Artifact("flamegraph", "", server.Put("a", content), content), Artifact("folded", "", server.Put("b", content), content)], _directory, CancellationToken.None);

        Assert.NotNull(results[0].Path);
        Assert.Null(results[1].Path);
        Assert.Contains("400-byte limit", results[1].Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("file:///etc/passwd", "scheme 'file' is not http or https")]
    [InlineData("ftp://example.com/x", "scheme 'ftp' is not http or https")]
    [InlineData("/etc/passwd", "scheme 'file' is not http or https")]
    [InlineData("relative/path", "no valid URL")]
    [InlineData("", "no valid URL")]
    public async Task Download_NonHttpUrls_AreRefused(string url, string message)
    {
        var downloader = new ArtifactDownloader(_http, new DownloadLimits());

        var result = (await downloader.DownloadAsync([new ArtifactView("flamegraph", "", url, null, null)], _directory, CancellationToken.None)).Single();

        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public async Task Download_WrongSha256_KeepsNothingAndTheOthersStillArrive()
    {
        await using var server = await ArtifactServer.StartAsync();
        var good = Encoding.UTF8.GetBytes("good");
        var downloader = new ArtifactDownloader(_http, new DownloadLimits());

        var results = await downloader.DownloadAsync(
            [
                new ArtifactView("flamegraph", "", server.Put("tampered", good), 4, new string('0', 64)),
                Artifact("folded", "", server.Put("good", good), good),
            ],
            _directory, CancellationToken.None);

        Assert.Contains("SHA-256", results[0].Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, "merged-flamegraph.svg")));
        Assert.Equal(good, await File.ReadAllBytesAsync(Path.Combine(_directory, "merged-folded.folded")));
    }

    [Fact]
    public async Task Download_HostileNames_AreNotUsedAsPaths()
    {
        await using var server = await ArtifactServer.StartAsync();
        var downloader = new ArtifactDownloader(_http, new DownloadLimits());
        var url = server.Put("x", [1]);

        var results = await downloader.DownloadAsync(
            [new ArtifactView("flamegraph", "../../etc", url, null, null), new ArtifactView("../x", "", url, null, null)], _directory, CancellationToken.None);

        Assert.All(results, r => Assert.Contains("not a plain name", r.Error, StringComparison.Ordinal));
        Assert.Equal(0, server.Hits("/files/x"));
    }

    [Fact]
    public async Task Download_ServerError_NamesThePathButNotTheSignature()
    {
        await using var server = await ArtifactServer.StartAsync();
        var downloader = new ArtifactDownloader(_http, new DownloadLimits());

        var result = (await downloader.DownloadAsync([new ArtifactView("flamegraph", "", server.Url("gone?X-Amz-Signature=secret"), null, null)], _directory, CancellationToken.None)).Single();

        Assert.Contains("/gone answered 404", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("flamegraph", "", "merged-flamegraph.svg")]
    [InlineData("speedscope", "shop-1", "shop-1-speedscope.speedscope.json")]
    [InlineData("pprof", "", "merged-pprof.pb.gz")]
    [InlineData("diff-before", "", "merged-diff-before.svg")]
    [InlineData("changes", "", "merged-changes.changes.json")]
    [InlineData("future", "", "merged-future.bin")]
    public void FileNames_KnownAndUnknownFormats(string format, string pod, string expected)
    {
        Assert.Equal(expected, ArtifactFileNames.For(format, pod));
    }

    private static ArtifactView Artifact(string format, string pod, string url, byte[] content) =>
        new(format, pod, url, content.Length, Convert.ToHexStringLower(SHA256.HashData(content)));
}
