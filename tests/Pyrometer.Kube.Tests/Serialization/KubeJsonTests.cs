using System.Text.Json;
using k8s;
using k8s.Models;
using Pyrometer.Kube.Api;
using Pyrometer.Kube.Models;
using Pyrometer.Kube.Serialization;
using Pyrometer.Kube.Testing;

namespace Pyrometer.Kube.Tests.Serialization;

public sealed class KubeJsonTests
{
    [Fact]
    public void Serialize_Event_UsesCamelCaseMicroTimeAndOmitsNulls()
    {
        var change = new Corev1Event
        {
            ApiVersion = "v1",
            Kind = "Event",
            Metadata = new V1ObjectMeta { Name = "e" },
            InvolvedObject = new V1ObjectReference { Name = "p" },
            ReportingComponent = "a",
            EventTime = new DateTimeOffset(2026, 11, 21, 8, 0, 0, 5, TimeSpan.FromHours(2)).UtcDateTime,
        };

        var json = KubeJson.Serialize(change);

        Assert.Equal(
            """{"apiVersion":"v1","eventTime":"2026-11-21T06:00:00.005000Z","involvedObject":{"name":"p"},"kind":"Event","metadata":{"name":"e"},"reportingComponent":"a"}""",
            json);
    }

    [Fact]
    public void Serialize_WholeSecond_KeepsSixFractionalDigits()
    {
        // The client alone writes "…:00Z", which the API server refuses for a MicroTime such as eventTime.
        var change = new Corev1Event { EventTime = new DateTime(2026, 11, 21, 6, 0, 0, DateTimeKind.Utc) };

        Assert.Equal("""{"eventTime":"2026-11-21T06:00:00.000000Z"}""", KubeJson.Serialize(change));
    }

    [Fact]
    public void Deserialize_MicroTimeWithOffset_ReadsInstant()
    {
        var change = KubeJson.Deserialize<Corev1Event>("""{"eventTime":"2026-11-21T08:00:00.000001+02:00"}""");

        Assert.Equal(new DateTime(2026, 11, 21, 6, 0, 0, DateTimeKind.Utc).AddTicks(10), change.EventTime);
        Assert.Equal(DateTimeKind.Utc, change.EventTime!.Value.Kind);
    }

    [Fact]
    public void Deserialize_MicroTimeGarbage_ThrowsJsonException()
    {
        Assert.Throws<JsonException>(() => KubeJson.Deserialize<Corev1Event>("""{"eventTime":"yesterday"}"""));
    }

    [Fact]
    public void Deserialize_StatusWithStatusField_MapsToStatus()
    {
        var status = KubeJson.Deserialize<V1Status>("""{"kind":"Status","status":"Failure","reason":"Conflict","code":409}""");

        Assert.Equal("Failure", status.Status);
        Assert.Equal(409, status.Code);
    }

    [Fact]
    public void Serialize_CustomResource_SameOptionsAsModelsAndEnumsAsStrings()
    {
        var widget = new TestWidget { Metadata = new V1ObjectMeta { Name = "w" }, Spec = new TestWidgetSpec { Mood = WatchEventType.Bookmark } };

        var json = KubeJson.Serialize(widget);
        var back = KubeJson.Deserialize<TestWidget>(json);

        Assert.Equal("""{"metadata":{"name":"w"},"spec":{"mood":"Bookmark"}}""", json);
        Assert.Equal(WatchEventType.Bookmark, back.Spec!.Mood);
    }

    [Fact]
    public async Task KubeApi_CustomResource_RoundTrips()
    {
        await using var server = await FakeApiServer.StartAsync();
        server.Seed("pods", "shop", """{"metadata":{"name":"w"},"spec":{"nodeName":"n1","containers":[]}}""");
        // The fake serves pods; registering the custom type at that path exercises the same code path a CRD takes.
        var registry = ResourceRegistry.CreateDefault().Register<TestWidget>(new ResourceInfo("", "v1", "pods", "Pod", true));
        var api = new KubeApi(
            new HttpClient { BaseAddress = server.BaseAddress }, TestApi.FastOptions(), registry);

        var widget = await api.GetAsync<TestWidget>(new ObjectKey("shop", "w"), CancellationToken.None);
        var list = await api.ListAsync<TestWidget>(ListScope.InNamespace("shop"), CancellationToken.None);

        Assert.Equal("n1", widget!.Spec!.NodeName);
        Assert.Equal("v1", Assert.Single(list.Items).ApiVersion);   // filled in from the registry for list items
    }
}
