using Pyrometer.Operator.Api.V1Alpha1;
using Pyrometer.Operator.Runtime;
using static Pyrometer.Operator.Tests.TestObjects;

namespace Pyrometer.Operator.Tests.Runtime;

public sealed class ProfileRequestCatalogTests
{
    [Fact]
    public void List_WithoutController_IsEmpty()
    {
        Assert.Empty(new ProfileRequestCatalog().List());
    }

    [Fact]
    public void List_FromControllerCache_MapsStatusAndArtifacts()
    {
        var request = Request();
        request.Metadata.CreationTimestamp = new DateTimeOffset(2026, 12, 7, 2, 0, 0, TimeSpan.Zero).UtcDateTime;
        request.Status = new ProfileRequestStatus
        {
            CompletionTime = new DateTimeOffset(2026, 12, 7, 2, 1, 30, TimeSpan.Zero),
            Phase = ProfilePhases.Succeeded,
            Reason = Conditions.Completed,
            Message = "1 pod, 10 samples",
            Summary = new ProfileSummary { TopFunctions = [new TopFunction { Function = "compute", Location = "app.py:5", SelfPercent = 40 }] },
            Artifacts = [new ArtifactStatus { Format = ProfileFormats.FlameGraph, Pod = "", Bytes = 12 }, new ArtifactStatus { Format = ProfileFormats.Folded, Pod = "api-1" }],
        };
        var catalog = new ProfileRequestCatalog { Source = () => [request] };

        var entry = Assert.Single(catalog.List());

        Assert.Equal(("shop", "search", "Succeeded", "Completed", "compute (app.py:5)", 40.0),
            (entry.Namespace, entry.Name, entry.Phase, entry.Reason, entry.TopFunction, entry.TopSelfPercent!.Value));
        Assert.Equal(["shop/search/merged/flamegraph.svg", "shop/search/api-1/folded.folded"], entry.Artifacts.Select(a => a.Key.RelativePath));
        Assert.Equal(request.Metadata.CreationTimestamp, entry.CreatedAt);
        Assert.Equal(request.Status.CompletionTime, entry.CompletedAt);
    }
}
