using System.Text.Json;
using k8s;
using k8s.Models;
using Pyrometer.Kube.Api;
using Pyrometer.Kube.Models;
using Pyrometer.Kube.Serialization;
using Pyrometer.Kube.Watch;

namespace Pyrometer.Kube.Tests.Watch;

public sealed class WatchEventParserTests
{
    [Fact]
    public void Parse_Modified_ReturnsTypedEvent()
    {
        var change = WatchEventParser.Parse<V1Pod>(
            """{"type":"MODIFIED","object":{"kind":"Pod","metadata":{"name":"a","resourceVersion":"7"},"status":{"phase":"Running"}}}""",
            KubeJson.Default, "/api/v1/pods");

        Assert.Equal(WatchEventType.Modified, change.Type);
        Assert.Equal("7", change.Value.Metadata.ResourceVersion);
        Assert.Equal("Running", change.Value.Status!.Phase);
    }

    [Fact]
    public async Task Parse_RecordedStreamReadInSmallChunks_YieldsEventsThenGone()
    {
        var bytes = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Assets", "watch-pods-expired.jsonl"));
        using var reader = new WatchLineReader(new ChunkedStream(bytes, 7));
        var events = new List<WatchEvent<V1Pod>>();

        var error = await Assert.ThrowsAsync<KubeApiException>(async () =>
        {
            while (await reader.ReadLineAsync(CancellationToken.None) is { } line)
            {
                events.Add(WatchEventParser.Parse<V1Pod>(line, KubeJson.Default, "/api/v1/pods"));
            }
        });

        Assert.True(error.IsGone);
        Assert.Equal(
            [WatchEventType.Added, WatchEventType.Modified, WatchEventType.Bookmark, WatchEventType.Deleted],
            events.Select(e => e.Type));
        Assert.Equal(["5101", "5107", "5230", "5301"], events.Select(e => e.Value.Metadata.ResourceVersion));
        var waiting = Assert.Single(events[1].Value.Status!.EphemeralContainerStatuses!).State!.Waiting!;
        Assert.Equal("ErrImagePull", waiting.Reason);
    }

    [Fact]
    public void Parse_Bookmark_CarriesResourceVersion()
    {
        var change = WatchEventParser.Parse<V1Pod>(
            """{"type":"BOOKMARK","object":{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"12345"}}}""",
            KubeJson.Default, "/api/v1/pods");

        Assert.Equal(WatchEventType.Bookmark, change.Type);
        Assert.Equal("12345", change.Value.Metadata.ResourceVersion);
    }

    [Fact]
    public void Parse_ErrorWithExpiredStatus_ThrowsGone()
    {
        var error = Assert.Throws<KubeApiException>(() => WatchEventParser.Parse<V1Pod>(
            """{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version: 1 (50)","reason":"Expired","code":410}}""",
            KubeJson.Default, "/api/v1/pods"));

        Assert.True(error.IsGone);
        Assert.Equal("WATCH", error.Verb);
        Assert.Contains("too old resource version", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ErrorWithOtherStatus_KeepsItsCode()
    {
        var error = Assert.Throws<KubeApiException>(() => WatchEventParser.Parse<V1Pod>(
            """{"type":"ERROR","object":{"kind":"Status","reason":"InternalError","code":500}}""",
            KubeJson.Default, "/api/v1/pods"));

        Assert.False(error.IsGone);
        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, error.StatusCode);
    }

    [Theory]
    [InlineData("""{"type":"RENAMED","object":{}}""")]
    [InlineData("""{"type":"ADDED"}""")]
    [InlineData("""[1,2]""")]
    [InlineData("""{"type":"ADDED","object":{"metadata":""")]
    public void Parse_MalformedLine_ThrowsJsonException(string line)
    {
        Assert.ThrowsAny<JsonException>(() => WatchEventParser.Parse<V1Pod>(line, KubeJson.Default, "/api/v1/pods"));
    }

    /// <summary>Hands out at most <c>chunk</c> bytes per read.</summary>
    private sealed class ChunkedStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
