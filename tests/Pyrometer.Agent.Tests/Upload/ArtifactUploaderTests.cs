using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Pyrometer.Agent.Upload;

namespace Pyrometer.Agent.Tests.Upload;

/// <summary>The uploader against a real HTTP server on loopback that answers as scripted.</summary>
public sealed class ArtifactUploaderTests : IDisposable
{
    private static readonly RetryPolicy Fast = new(4, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5));
    private readonly HttpListener _listener = new();
    private readonly string _prefix;
    private readonly string _file = Path.GetTempFileName();
    private readonly Queue<HttpStatusCode> _answers = new();
    private readonly List<(string Method, string Path, string? ContentType, long Length, byte[] Body)> _received = [];
    private readonly Task _serving;

    public ArtifactUploaderTests()
    {
        var port = FreePort();
        _prefix = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(_prefix);
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            lock (_received)
            {
                _received.Add((context.Request.HttpMethod, context.Request.Url!.PathAndQuery, context.Request.ContentType, context.Request.ContentLength64, body.ToArray()));
            }
            context.Response.StatusCode = (int)(_answers.TryDequeue(out var status) ? status : HttpStatusCode.OK);
            context.Response.Close();
        }
    }

    private static UploadTarget Target(string text)
    {
        Assert.True(UploadTarget.TryParse(text, out var target, out var error), error);
        return target!;
    }

    private static ArtifactUploader Uploader() => new(new HttpClient(), Fast, TimeProvider.System);

    [Fact]
    public async Task Upload_Ok_PutsTheWholeFileWithContentType()
    {
        var bytes = RandomNumberGenerator.GetBytes(300_000);
        await File.WriteAllBytesAsync(_file, bytes);
        var target = Target($"flamegraph={_prefix}bucket/p.svg?X-Amz-Signature=abc");

        var outcome = await Uploader().UploadAsync(target, _file, "image/svg+xml", CancellationToken.None);

        Assert.True(outcome.Succeeded);
        var request = Assert.Single(_received);
        Assert.Equal("PUT", request.Method);
        Assert.Equal("/bucket/p.svg?X-Amz-Signature=abc", request.Path);
        Assert.Equal("image/svg+xml", request.ContentType);
        Assert.Equal(bytes.Length, request.Length);
        Assert.Equal(bytes, request.Body);
    }

    [Fact]
    public async Task Upload_TransientFailures_RetriesUntilItSucceeds()
    {
        await File.WriteAllTextAsync(_file, "a;b 1\n");
        _answers.Enqueue(HttpStatusCode.ServiceUnavailable);
        _answers.Enqueue(HttpStatusCode.TooManyRequests);
        var target = Target($"folded={_prefix}k");

        var outcome = await Uploader().UploadAsync(target, _file, "text/plain", CancellationToken.None);

        Assert.True(outcome.Succeeded);
        Assert.Equal(3, outcome.Attempts);
        Assert.All(_received, r => Assert.Equal("a;b 1\n"u8.ToArray(), r.Body));
    }

    [Fact]
    public async Task Upload_Forbidden_FailsAtOnceWithAHintAndNoSignature()
    {
        await File.WriteAllTextAsync(_file, "x");
        _answers.Enqueue(HttpStatusCode.Forbidden);
        var target = Target($"folded={_prefix}k?X-Amz-Signature=topsecret");

        var outcome = await Uploader().UploadAsync(target, _file, "text/plain", CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.Equal(1, outcome.Attempts);
        Assert.Contains("403", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("expired", outcome.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("topsecret", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_NothingListening_FailsAfterEveryAttemptSayingWhy()
    {
        await File.WriteAllTextAsync(_file, "x");
        var target = Target($"folded=http://127.0.0.1:{FreePort()}/k");

        var outcome = await Uploader().UploadAsync(target, _file, "text/plain", CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.Equal(Fast.MaxAttempts, outcome.Attempts);
        Assert.Contains("after 4 attempts", outcome.Error, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
        File.Delete(_file);
    }
}
