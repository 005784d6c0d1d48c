using k8s.Models;
using Pyrometer.Kube.Api;
using Pyrometer.Kube.Events;
using Pyrometer.Kube.Models;
using Pyrometer.Kube.Testing;

namespace Pyrometer.Kube.Tests.Events;

public sealed class EventRecorderTests : IAsyncLifetime
{
    private static readonly EventSourceInfo Source = new("pyrometer-operator", "pyrometer.dev/operator", "operator-0");

    private readonly ManualTimeProvider _time = new();
    private FakeApiServer _server = null!;
    private KubeApi _api = null!;
    private EventRecorder _recorder = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.StartAsync();
        _api = TestApi.Create(_server);
        _recorder = new EventRecorder(_api, Source, _time);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static V1Pod Subject => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta { Name = "api-1", NamespaceProperty = "shop", Uid = "uid-1", ResourceVersion = "7" },
    };

    private async Task<IList<Corev1Event>> EventsAsync() =>
        (await _api.ListAsync<Corev1Event>(ListScope.InNamespace("shop"), CancellationToken.None)).Items;

    [Fact]
    public async Task RecordAsync_First_WritesCoreEventWithSourceAndCountOne()
    {
        await _recorder.RecordAsync(Subject, "Warning", "Refused", "no room", CancellationToken.None);

        var written = Assert.Single(await EventsAsync());
        Assert.StartsWith("api-1.", written.Metadata.Name, StringComparison.Ordinal);
        Assert.Equal(("Pod", "api-1", "uid-1", "7"), (written.InvolvedObject.Kind, written.InvolvedObject.Name, written.InvolvedObject.Uid, written.InvolvedObject.ResourceVersion));
        Assert.Equal(("Warning", "Refused", "no room", 1), (written.Type, written.Reason, written.Message, written.Count));
        Assert.Equal(("pyrometer-operator", "pyrometer.dev/operator", "operator-0"), (written.Source.Component, written.ReportingComponent, written.ReportingInstance));
        Assert.Equal(_time.GetUtcNow().UtcDateTime, written.FirstTimestamp);
    }

    [Fact]
    public async Task RecordAsync_SameEventAgain_CountsOnTheFirstInsteadOfWritingAnother()
    {
        await _recorder.RecordAsync(Subject, "Normal", "Injected", "agent added", CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(30));
        await _recorder.RecordAsync(Subject, "Normal", "Injected", "agent added", CancellationToken.None);
        await _recorder.RecordAsync(Subject, "Normal", "Injected", "agent added", CancellationToken.None);

        var written = Assert.Single(await EventsAsync());
        Assert.Equal(3, written.Count);
        Assert.Equal(_time.GetUtcNow().UtcDateTime, written.LastTimestamp);
        Assert.Equal(_time.GetUtcNow().UtcDateTime.AddSeconds(-30), written.FirstTimestamp);
    }

    [Fact]
    public async Task RecordAsync_OtherMessage_WritesAnotherEvent()
    {
        await _recorder.RecordAsync(Subject, "Normal", "Injected", "agent a", CancellationToken.None);
        await _recorder.RecordAsync(Subject, "Normal", "Injected", "agent b", CancellationToken.None);

        Assert.Equal(["agent a", "agent b"], (await EventsAsync()).Select(e => e.Message).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RecordAsync_AfterTheWindow_WritesAnotherEvent()
    {
        await _recorder.RecordAsync(Subject, "Normal", "Injected", "agent added", CancellationToken.None);
        _time.Advance(EventRecorder.DedupWindow);
        await _recorder.RecordAsync(Subject, "Normal", "Injected", "agent added", CancellationToken.None);

        Assert.All(await EventsAsync(), e => Assert.Equal(1, e.Count));
        Assert.Equal(2, (await EventsAsync()).Count);
    }

    [Fact]
    public async Task RecordAsync_FirstEventDeletedByTheServer_WritesItAgain()
    {
        await _recorder.RecordAsync(Subject, "Normal", "Injected", "agent added", CancellationToken.None);
        var first = Assert.Single(await EventsAsync());
        Assert.True(await _api.DeleteAsync<Corev1Event>(new ObjectKey("shop", first.Metadata.Name), CancellationToken.None));

        await _recorder.RecordAsync(Subject, "Normal", "Injected", "agent added", CancellationToken.None);

        var again = Assert.Single(await EventsAsync());
        Assert.NotEqual(first.Metadata.Name, again.Metadata.Name);
        Assert.Equal(1, again.Count);
    }

    [Fact]
    public async Task RecordAsync_RepeatCannotBeCounted_WritesANewEventInsteadOfLosingIt()
    {
        await _recorder.RecordAsync(Subject, "Warning", "Refused", "no room", CancellationToken.None);
        _server.Fail("PATCH", "/events", 403, "Forbidden", message: "patch events is not allowed");

        await _recorder.RecordAsync(Subject, "Warning", "Refused", "no room", CancellationToken.None);

        var written = await EventsAsync();
        Assert.Equal(2, written.Count);
        Assert.All(written, e => Assert.Equal(1, e.Count));
    }

    [Fact]
    public async Task RecordAsync_LongMessage_IsCutToWhatTheServerAccepts()
    {
        await _recorder.RecordAsync(Subject, "Warning", "Failed", new string('x', 5000), CancellationToken.None);

        var written = Assert.Single(await EventsAsync());
        Assert.Equal(EventRecorder.MaxMessageLength + 3, written.Message.Length);
        Assert.EndsWith("...", written.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordAsync_ServerRefuses_DoesNotThrow()
    {
        _server.Fail("POST", "/events", 403, "Forbidden", message: "events are not allowed");

        await _recorder.RecordAsync(Subject, "Normal", "Injected", "agent added", CancellationToken.None);

        Assert.Empty(await EventsAsync());
    }
}
