namespace Pyrometer.Operator.Storage.Tests.Storage;

public sealed class ViewerPageTests
{
    [Fact]
    public void Render_NoEntries_SaysHowToCreateOne()
    {
        var html = ViewerPage.Render([], "jane", 0);

        Assert.Contains("No ProfileRequests yet", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<table", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Entries_ListsThemSortedWithPhaseTopFunctionAndLinks()
    {
        var html = ViewerPage.Render(
        [
            Entry("shop", "zeta", "Running", null, null),
            Entry("shop", "alpha", "Succeeded", "compute_similarity (app.py:57)", 41.25,
                new ViewerArtifact(new ArtifactKey("shop", "alpha", null, "flamegraph", "svg"), 182_331),
                new ViewerArtifact(new ArtifactKey("shop", "alpha", "api-1", "speedscope", "json"), 900)),
            Entry("batch", "nightly", "Failed", null, null) with { Reason = "PodNotFound", Message = "pod api-1 not found" },
        ], "jane", 0);

        var alpha = html.IndexOf(">alpha<", StringComparison.Ordinal);
        var zeta = html.IndexOf(">zeta<", StringComparison.Ordinal);
        var nightly = html.IndexOf(">nightly<", StringComparison.Ordinal);
        Assert.True(nightly < alpha && alpha < zeta, "rows sort by namespace, then name");
        Assert.Contains("<code>compute_similarity (app.py:57)</code> 41.3%", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"viewer/artifacts/shop/alpha/merged/flamegraph.svg\">flamegraph</a> 178.1 KiB", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"viewer/artifacts/shop/alpha/api-1/speedscope.json\">speedscope (api-1)</a> 900 B", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"phase Failed\">Failed</span> (PodNotFound)", html, StringComparison.Ordinal);
        Assert.Contains("pod api-1 not found", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_HostileValues_AreEscaped()
    {
        var html = ViewerPage.Render(
        [
            Entry("ns", "<script>alert(1)</script>", "<b>Phase</b>", "f\"><img src=x onerror=alert(1)>", 1) with
            {
                Reason = "R&D",
                Message = "'quoted' & <tag>",
            },
        ], "<i>mallory</i>", 0);

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<tag>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("R&amp;D", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<i>", html, StringComparison.Ordinal);
        Assert.Contains("class=\"phase Unknown\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SameEntries_SameBytes()
    {
        ViewerEntry[] entries = [Entry("a", "b", "Pending", null, null), Entry("a", "a", "Running", null, null)];

        Assert.Equal(ViewerPage.Render(entries, "jane", 2), ViewerPage.Render(entries.Reverse().ToArray(), "jane", 2));
    }

    [Fact]
    public void Render_Page_LoadsNothingFromElsewhere()
    {
        var html = ViewerPage.Render([Entry("a", "b", "Succeeded", "f", 1, new ViewerArtifact(new ArtifactKey("a", "b", null, "flamegraph", "svg"), null))], "jane", 1);

        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<link", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_HiddenRequests_ShowsUserAndOnlyTheCount()
    {
        var html = ViewerPage.Render([Entry("shop", "mine", "Running", null, null)], "jane@example.com", 3);

        Assert.Contains("Signed in as <span id=\"user\">jane@example.com</span>", html, StringComparison.Ordinal);
        Assert.Contains("<span id=\"hidden\">3</span> more in namespaces where you may not get ProfileRequests", html, StringComparison.Ordinal);
    }

    private static ViewerEntry Entry(string ns, string name, string phase, string? top, double? percent, params ViewerArtifact[] artifacts) =>
        new(ns, name, phase, null, null, top, percent, artifacts);
}
