namespace Pyrometer.Operator.Storage.Tests.Storage;

public sealed class ViewerPageTests
{
    [Fact]
    public void Render_NoEntries_SaysHowToCreateOne()
    {
        var html = ViewerPage.Render([], "jane", 0, Now, speedscope: true);

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
        ], "jane", 0, Now, speedscope: true);

        var alpha = html.IndexOf(">alpha<", StringComparison.Ordinal);
        var zeta = html.IndexOf(">zeta<", StringComparison.Ordinal);
        var nightly = html.IndexOf(">nightly<", StringComparison.Ordinal);
        Assert.True(nightly < alpha && alpha < zeta, "without times, rows sort by namespace, then name");
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
        ], "<i>mallory</i>", 0, Now, speedscope: true);

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

        Assert.Equal(ViewerPage.Render(entries, "jane", 2, Now, speedscope: true), ViewerPage.Render(entries.Reverse().ToArray(), "jane", 2, Now, speedscope: true));
    }

    [Fact]
    public void Render_Page_LoadsNothingFromElsewhere()
    {
        var html = ViewerPage.Render([Entry("a", "b", "Succeeded", "f", 1, new ViewerArtifact(new ArtifactKey("a", "b", null, "speedscope", "json"), null))], "jane", 1, Now, speedscope: true);

        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<link", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_HiddenRequests_ShowsUserAndOnlyTheCount()
    {
        var html = ViewerPage.Render([Entry("shop", "mine", "Running", null, null)], "jane@example.com", 3, Now, speedscope: true);

        Assert.Contains("Signed in as <span id=\"user\">jane@example.com</span>", html, StringComparison.Ordinal);
        Assert.Contains("<span id=\"hidden\">3</span> more in namespaces where you may not get ProfileRequests", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Times_NewestFirstWithRelativeAndAbsoluteCompletion()
    {
        var html = ViewerPage.Render(
        [
            Entry("shop", "old", "Succeeded", null, null) with { CreatedAt = Now.AddDays(-3), CompletedAt = Now.AddDays(-2) },
            Entry("shop", "newest", "Failed", null, null) with { CreatedAt = Now.AddMinutes(-10), CompletedAt = Now.AddMinutes(-5) },
            Entry("bank", "running", "Running", null, null) with { CreatedAt = Now.AddHours(-1) },
            Entry("shop", "middle", "Succeeded", null, null) with { CreatedAt = Now.AddHours(-4), CompletedAt = Now.AddHours(-3) },
        ], "jane", 0, Now, speedscope: false);

        string[] names = [">running<", ">newest<", ">middle<", ">old<"];
        var order = names.Select(name => html.IndexOf(name, StringComparison.Ordinal)).ToArray();
        Assert.All(order, at => Assert.True(at > 0));
        Assert.Equal(order.Order(), order);
        Assert.Contains("<td class=\"time\"><time datetime=\"2026-12-07T02:25:00Z\">5 min ago</time><div class=\"absolute\">2026-12-07 02:25:00 UTC</div></td>", html, StringComparison.Ordinal);
        Assert.Contains(">3 h ago</time>", html, StringComparison.Ordinal);
        Assert.Contains(">2 d ago</time><div class=\"absolute\">2026-12-05 02:30:00 UTC</div>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"pending\">not yet</span><div class=\"absolute\">created 1 h ago</div>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SpeedscopeArtifact_LinksToTheViewersSpeedscopeRouteOnlyWhenEnabled()
    {
        ViewerEntry[] entries =
        [
            Entry("shop", "alpha", "Succeeded", null, null,
                new ViewerArtifact(new ArtifactKey("shop", "alpha", null, "speedscope", "json"), 10),
                new ViewerArtifact(new ArtifactKey("shop", "alpha", null, "flamegraph", "svg"), 10)),
        ];

        var on = ViewerPage.Render(entries, "jane", 0, Now, speedscope: true);
        var off = ViewerPage.Render(entries, "jane", 0, Now, speedscope: false);

        Assert.Single(on.Split("open in speedscope").Skip(1));
        Assert.Contains("<a class=\"speedscope\" href=\"viewer/speedscope/shop/alpha/merged/speedscope.json\" target=\"_blank\" rel=\"noopener noreferrer\">open in speedscope</a>", on, StringComparison.Ordinal);
        Assert.DoesNotContain("open in speedscope", off, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ComparableRequests_GetBeforeAndAfterChoicesInAPlainGetForm()
    {
        var html = ViewerPage.Render(
        [
            Entry("shop", "folded", "Succeeded", null, null, new ViewerArtifact(new ArtifactKey("shop", "folded", null, "folded", "txt"), 10)),
            Entry("shop", "one-pod-pprof", "Succeeded", null, null, new ViewerArtifact(new ArtifactKey("shop", "one-pod-pprof", "api-1", "pprof", "pb.gz"), 10)),
            Entry("shop", "svg-only", "Succeeded", null, null, new ViewerArtifact(new ArtifactKey("shop", "svg-only", null, "flamegraph", "svg"), 10)),
            Entry("shop", "failed", "Failed", null, null, new ViewerArtifact(new ArtifactKey("shop", "failed", null, "folded", "txt"), 10)),
            Entry("shop", "two-pods", "Succeeded", null, null,
                new ViewerArtifact(new ArtifactKey("shop", "two-pods", "api-1", "folded", "txt"), 10),
                new ViewerArtifact(new ArtifactKey("shop", "two-pods", "api-2", "folded", "txt"), 10)),
        ], "jane", 0, Now, speedscope: false);

        Assert.Contains("<form id=\"compare\" method=\"get\" action=\"viewer/compare\">", html, StringComparison.Ordinal);
        Assert.Contains("<input type=\"radio\" name=\"before\" value=\"shop/folded\"", html, StringComparison.Ordinal);
        Assert.Contains("<input type=\"radio\" name=\"after\" value=\"shop/one-pod-pprof\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"shop/svg-only\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"shop/failed\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"shop/two-pods\"", html, StringComparison.Ordinal);
        Assert.Contains("<button type=\"submit\">Compare</button>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NothingComparable_OffersNoCompareButton()
    {
        var html = ViewerPage.Render([Entry("shop", "svg-only", "Succeeded", null, null, new ViewerArtifact(new ArtifactKey("shop", "svg-only", null, "flamegraph", "svg"), 10))],
            "jane", 0, Now, speedscope: false);

        Assert.DoesNotContain("<button type=\"submit\">Compare</button>", html, StringComparison.Ordinal);
        Assert.Contains("can be compared here once they succeed", html, StringComparison.Ordinal);
    }

    private static readonly DateTimeOffset Now = new(2026, 12, 7, 2, 30, 0, TimeSpan.Zero);

    private static ViewerEntry Entry(string ns, string name, string phase, string? top, double? percent, params ViewerArtifact[] artifacts) =>
        new(ns, name, phase, null, null, top, percent, artifacts);
}
