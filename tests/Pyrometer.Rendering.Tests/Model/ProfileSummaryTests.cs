using Pyrometer.Rendering.Model;
using Pyrometer.Rendering.Tests.Support;

namespace Pyrometer.Rendering.Tests.Model;

public sealed class ProfileSummaryTests
{
    private static readonly Profile Sample = RandomProfiles.FromFolded(
        ProfileMetadata.None,
        ("pid 7 web;main (app.py:1);work (app.py:10);work (app.py:12)", 6),
        ("pid 7 web;main (app.py:1);work (app.py:10)", 2),
        ("pid 8 web;thread 9 Main;main (app.py:1);helper (util.py:4)", 2));

    [Fact]
    public void TopFunctions_BySelf_RanksInnermostFrames()
    {
        var top = ProfileSummary.TopFunctions(Sample, 10);

        Assert.Equal(["work", "helper"], top.Select(f => f.Function));
        var work = top[0];
        Assert.Equal(8, work.SelfSamples);
        Assert.Equal(8, work.TotalSamples);   // recursion counted once per sample
        Assert.Equal(80.0, work.SelfPercent, 6);
        Assert.Equal(12, work.Line);          // the line with the most self samples
        Assert.Equal("app.py", work.File);
    }

    [Fact]
    public void TopFunctions_AsyncTaskStacks_TheAwaitingCoroutineHasTheSelfTimeAndMarkersAreNoFunctions()
    {
        var profile = RandomProfiles.FromFolded(
            ProfileMetadata.None,
            ("[task handler];listings (app.py:40);[task Task-7];fetch_reviews (app.py:21);[await Future]", 6),
            ("[task handler];listings (app.py:40);[await _GatheringFuture]", 2),
            ("pid 7 web;main (app.py:1);work (app.py:10)", 2));

        var top = ProfileSummary.TopFunctions(profile, 10);

        Assert.Equal(["fetch_reviews", "listings", "work"], top.Select(f => f.Function));
        Assert.Equal([6L, 2, 2], top.Select(f => f.SelfSamples));
        Assert.Equal(8, top[1].TotalSamples);
        Assert.DoesNotContain(ProfileSummary.TopFunctions(profile, 10, ShareOrder.Total), f => f.Function.StartsWith('['));
    }

    [Fact]
    public void TopFunctions_ByTotal_PutsCallersFirst()
    {
        var top = ProfileSummary.TopFunctions(Sample, 2, ShareOrder.Total);

        Assert.Equal(["main", "work"], top.Select(f => f.Function));
        Assert.Equal(100.0, top[0].TotalPercent, 6);
        Assert.Equal(0, top[0].SelfSamples);
    }

    [Fact]
    public void TopFunctions_EmptyProfileOrZeroLimit_ReturnsNothing()
    {
        Assert.Empty(ProfileSummary.TopFunctions(Profile.Empty(ProfileMetadata.None), 5));
        Assert.Empty(ProfileSummary.TopFunctions(Sample, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ProfileSummary.TopFunctions(Sample, -1));
    }

    [Fact]
    public void SamplesPerProcessAndThread_CountsUnderEachPseudoFrame()
    {
        var processes = ProfileSummary.SamplesPerProcess(Sample);
        var threads = ProfileSummary.SamplesPerThread(Sample);

        Assert.Equal([("pid 7 web", 8L), ("pid 8 web", 2L)], processes.Select(p => (p.Frame.Text, p.Samples)));
        Assert.Equal([("thread 9 Main", 2L)], threads.Select(t => (t.Frame.Text, t.Samples)));
    }
}
