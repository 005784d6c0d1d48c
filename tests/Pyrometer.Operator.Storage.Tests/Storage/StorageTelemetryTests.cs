using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Pyrometer.Operator.Storage.Tests.Support;

namespace Pyrometer.Operator.Storage.Tests.Storage;

/// <summary>The span of an agent's upload to the built-in store, over real HTTP (this assembly runs one test at a time).</summary>
public sealed class StorageTelemetryTests : IDisposable
{
    private static readonly ArtifactKey Artifact = new("shop", "search-latency", null, "flamegraph", "svg");

    private readonly TempDirectory _work = new();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Upload_AcceptedAndRefused_OneServerSpanEachWithItsStatus()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == StorageTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (spans)
                {
                    spans.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using var server = await BuiltInServer.StartAsync(Path.Combine(_work.Path, "store"));
        var url = await server.Store.PresignUploadAsync(Artifact, TimeSpan.FromMinutes(5), CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, await PutAsync(url));
        Assert.Equal(HttpStatusCode.Forbidden, await PutAsync(url));   // each URL accepts one upload

        List<Activity> uploads;
        lock (spans)
        {
            uploads = spans.Where(s => s.DisplayName == "receive artifact upload").ToList();
        }
        Assert.Equal(2, uploads.Count);
        Assert.All(uploads, u => Assert.Equal(ActivityKind.Server, u.Kind));
        Assert.All(uploads, u => Assert.Equal("shop/search-latency/merged/flamegraph.svg", u.GetTagItem("pyrometer.artifact.path")));
        Assert.Equal([(200, ActivityStatusCode.Unset), (403, ActivityStatusCode.Error)], uploads.Select(u => ((int)u.GetTagItem("http.response.status_code")!, u.Status)));
    }

    private static async Task<HttpStatusCode> PutAsync(Uri url)
    {
        using var http = new HttpClient();
        using var content = new ByteArrayContent([1, 2, 3]);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/svg+xml");
        using var response = await http.PutAsync(url, content);
        return response.StatusCode;
    }
}
