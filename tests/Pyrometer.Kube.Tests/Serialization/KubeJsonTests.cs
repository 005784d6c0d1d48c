using System.Text.Json;
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
        var change = new CoreEvent
        {
            Metadata = new ObjectMeta { Name = "e" },
            InvolvedObject = new ObjectReference { Name = "p" },
            ReportingComponent = "a",
            EventTime = new DateTimeOffset(2026, 11, 21, 8, 0, 0, 5, TimeSpan.FromHours(2)),
        };

        var json = JsonSerializer.Serialize(change, KubeJsonContext.Default.CoreEvent);

        Assert.Equal(
            """{"apiVersion":"v1","kind":"Event","metadata":{"name":"e"},"involvedObject":{"name":"p"},"reportingComponent":"a","eventTime":"2026-11-21T06:00:00.005000Z"}""",
            json);
    }

    [Fact]
    public void Deserialize_MicroTimeWithOffset_ReadsInstant()
    {
        var change = JsonSerializer.Deserialize("""{"eventTime":"2026-11-21T08:00:00.000001+02:00"}""", KubeJsonContext.Default.CoreEvent)!;

        Assert.Equal(new DateTimeOffset(2026, 11, 21, 6, 0, 0, TimeSpan.Zero).AddTicks(10), change.EventTime);
    }

    [Fact]
    public void Deserialize_MicroTimeGarbage_ThrowsJsonException()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"eventTime":"yesterday"}""", KubeJsonContext.Default.CoreEvent));
    }

    [Fact]
    public void Deserialize_StatusWithStatusField_MapsToOutcome()
    {
        var status = JsonSerializer.Deserialize("""{"kind":"Status","status":"Failure","reason":"Conflict","code":409}""", KubeJsonContext.Default.Status)!;

        Assert.Equal("Failure", status.Outcome);
        Assert.Equal(409, status.Code);
    }

    [Fact]
    public void CreateOptions_ExtraContext_ResolvesBothAndWritesEnumsAsStrings()
    {
        var options = KubeJson.CreateOptions(TestJsonContext.Default);
        var widget = new TestWidget { Metadata = new ObjectMeta { Name = "w" }, Spec = new TestWidgetSpec { Mood = WatchEventType.Bookmark } };

        var json = JsonSerializer.Serialize(widget, options);
        var pod = JsonSerializer.Deserialize<Pod>("""{"metadata":{"name":"p"}}""", options);

        Assert.Equal("""{"metadata":{"name":"w"},"spec":{"mood":"Bookmark"}}""", json);
        Assert.Equal("p", pod!.Metadata.Name);
    }

    [Fact]
    public async Task KubeApi_CustomResourceFromCombinedContext_RoundTrips()
    {
        await using var server = await FakeApiServer.StartAsync();
        server.Seed("pods", "shop", """{"metadata":{"name":"w"},"spec":{"nodeName":"n1","containers":[]}}""");
        // The fake serves pods; registering the custom type at that path exercises the same code path a CRD takes.
        var registry = ResourceRegistry.CreateDefault().Register<TestWidget>(new ResourceInfo("", "v1", "pods", "Pod", true));
        var api = new KubeApi(
            new HttpClient { BaseAddress = server.BaseAddress }, TestApi.FastOptions(), KubeJson.CreateOptions(TestJsonContext.Default), registry);

        var widget = await api.GetAsync<TestWidget>(new ObjectKey("shop", "w"), CancellationToken.None);
        var list = await api.ListAsync<TestWidget>(ListScope.InNamespace("shop"), CancellationToken.None);

        Assert.Equal("n1", widget!.Spec!.NodeName);
        Assert.Equal("v1", Assert.Single(list.Items).ApiVersion);   // filled in from the registry for list items
    }
}
