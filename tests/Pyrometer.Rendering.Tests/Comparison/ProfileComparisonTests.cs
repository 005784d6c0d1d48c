using Pyrometer.Rendering.Comparison;
using Pyrometer.Rendering.Model;
using Pyrometer.Rendering.Tests.Support;

namespace Pyrometer.Rendering.Tests.Comparison;

public sealed class ProfileComparisonTests
{
    [Theory]
    [InlineData(1, 2)]
    [InlineData(3, 4)]
    public void Compare_RandomProfiles_SelfSharesAddUpTo100AndChangesTo0(int seedBefore, int seedAfter)
    {
        var before = RandomProfiles.Create(seedBefore, 700, functions: 80).Profile;
        var after = RandomProfiles.Create(seedAfter, 900, functions: 80).Profile;

        var changes = ProfileComparison.Compare(before, after);

        // Every random stack ends in a Python frame, so self shares cover every sample once.
        Assert.Equal(100, changes.Functions.Sum(f => f.BeforeSelfPercent), 9);
        Assert.Equal(100, changes.Functions.Sum(f => f.AfterSelfPercent), 9);
        Assert.Equal(0, changes.Functions.Sum(f => f.SelfChange), 9);
        Assert.Equal(before.TotalSamples, changes.Functions.Sum(f => f.BeforeSelfSamples));
        Assert.Equal(after.TotalSamples, changes.Functions.Sum(f => f.AfterSelfSamples));
        Assert.All(changes.Functions, f => Assert.InRange(f.AfterTotalPercent, f.AfterSelfPercent, 100));
        Assert.Equal(changes.Functions.Count(f => f.Change != 0), changes.Grew.Count + changes.Shrank.Count);
    }

    [Fact]
    public void Compare_ScaledCopyWithOtherLines_NoChange()
    {
        var before = RandomProfiles.FromFolded(ProfileMetadata.None, ("main (app.py:1);work (app.py:5)", 3), ("main (app.py:1)", 1));
        var after = RandomProfiles.FromFolded(ProfileMetadata.None, ("main (app.py:2);work (app.py:6)", 30), ("main (app.py:3)", 10));

        var changes = ProfileComparison.Compare(before, after);

        Assert.Equal(2, changes.Functions.Count);
        Assert.Empty(changes.Grew);
        Assert.Empty(changes.Shrank);
    }

    [Fact]
    public void Compare_RemovedFunction_HasItsWholeShareAsNegativeChange()
    {
        var before = RandomProfiles.FromFolded(ProfileMetadata.None, ("main (a.py:1);slow (a.py:9)", 60), ("main (a.py:1);fast (a.py:5)", 40));
        var after = RandomProfiles.FromFolded(ProfileMetadata.None, ("main (a.py:1);fast (a.py:5)", 10));

        var slow = Assert.Single(ProfileComparison.Compare(before, after).Shrank);

        Assert.Equal(("slow", "a.py", 60L, 0L), (slow.Function, slow.File, slow.BeforeSelfSamples, slow.AfterSelfSamples));
        Assert.Equal(-60, slow.SelfChange, 9);
        Assert.Equal(-60, slow.TotalChange, 9);
    }

    [Fact]
    public void Compare_Ordering_LargestChangeFirst_SelfBreaksTies_ThenName()
    {
        // 100 samples each side. grew: leaf +20 (self and total), caller +20 total only, big +30, b/a +5 each.
        var before = RandomProfiles.FromFolded(
            ProfileMetadata.None,
            ("main (m.py:1);other (m.py:2)", 85),
            ("main (m.py:1);shrinks (m.py:3)", 15));
        var after = RandomProfiles.FromFolded(
            ProfileMetadata.None,
            ("main (m.py:1);caller (m.py:4);leaf (m.py:5)", 20),
            ("main (m.py:1);big (m.py:6)", 30),
            ("main (m.py:1);b (m.py:7)", 5),
            ("main (m.py:1);a (m.py:8)", 5),
            ("main (m.py:1);other (m.py:2)", 40));

        var changes = ProfileComparison.Compare(before, after);

        Assert.Equal(["big", "leaf", "caller", "a", "b"], changes.Grew.Select(f => f.Function));
        Assert.Equal(["other", "shrinks"], changes.Shrank.Select(f => f.Function));
        Assert.Equal(0, changes.Grew.Single(f => f.Function == "caller").SelfChange);
        Assert.Equal(20, changes.Grew.Single(f => f.Function == "caller").Change, 9);
        Assert.DoesNotContain(changes.Grew.Concat(changes.Shrank), f => f.Function == "main");
    }

    [Fact]
    public void Compare_EmptyProfile_SharesAreZero()
    {
        var after = RandomProfiles.FromFolded(ProfileMetadata.None, ("main (a.py:1)", 4));

        var changes = ProfileComparison.Compare(Profile.Empty(ProfileMetadata.None), after);

        var main = Assert.Single(changes.Grew);
        Assert.Equal((0.0, 100.0), (main.BeforeTotalPercent, main.AfterTotalPercent));
    }
}
