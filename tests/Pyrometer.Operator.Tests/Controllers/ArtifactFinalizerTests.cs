using System.Text;
using System.Text.Json.Nodes;
using Pyrometer.Operator.Api.V1Alpha1;
using Pyrometer.Operator.Controllers;

namespace Pyrometer.Operator.Tests.Controllers;

public sealed class ArtifactFinalizerTests
{
    private static ProfileRequest Request(bool ours, bool deleting, params string[] others)
    {
        var request = TestObjects.Request();
        request.Metadata.ResourceVersion = "4711";
        request.Metadata.Finalizers = ours ? [.. others, ArtifactFinalizer.Name] : [.. others];
        request.Metadata.DeletionTimestamp = deleting ? TestObjects.Created.AddMinutes(3).UtcDateTime : null;
        return request;
    }

    private static JsonObject Body(Kube.Api.KubePatch patch) => JsonNode.Parse(Encoding.UTF8.GetString(patch.Content.Body.Span))!.AsObject();

    [Theory]
    [InlineData(false, false, true, nameof(FinalizerStep.Add))]
    [InlineData(true, false, true, nameof(FinalizerStep.None))]
    [InlineData(false, false, false, nameof(FinalizerStep.None))]
    [InlineData(true, false, false, nameof(FinalizerStep.Remove))]
    [InlineData(true, true, true, nameof(FinalizerStep.Finalize))]
    [InlineData(true, true, false, nameof(FinalizerStep.Remove))]
    [InlineData(false, true, true, nameof(FinalizerStep.None))]
    [InlineData(false, true, false, nameof(FinalizerStep.None))]
    public void Decide_FinalizerDeletionAndOption_GivesStep(bool ours, bool deleting, bool option, string expected)
    {
        Assert.Equal(Enum.Parse<FinalizerStep>(expected), ArtifactFinalizer.Decide(Request(ours, deleting), option));
    }

    [Fact]
    public void Add_OtherFinalizers_KeepsThemAndCarriesResourceVersion()
    {
        var body = Body(ArtifactFinalizer.Add(Request(ours: false, deleting: false, "example.com/keep")));

        Assert.Equal("4711", (string?)body["metadata"]!["resourceVersion"]);
        Assert.Equal(["example.com/keep", ArtifactFinalizer.Name], body["metadata"]!["finalizers"]!.AsArray().Select(f => (string?)f));
    }

    [Fact]
    public void Remove_OursAmongOthers_LeavesTheOthers()
    {
        var body = Body(ArtifactFinalizer.Remove(Request(ours: true, deleting: true, "example.com/keep")));

        Assert.Equal("4711", (string?)body["metadata"]!["resourceVersion"]);
        Assert.Equal(["example.com/keep"], body["metadata"]!["finalizers"]!.AsArray().Select(f => (string?)f));
    }

    [Fact]
    public void Remove_OnlyOurs_SendsAnEmptyList()
    {
        var body = Body(ArtifactFinalizer.Remove(Request(ours: true, deleting: false)));

        Assert.Empty(body["metadata"]!["finalizers"]!.AsArray());
    }
}
