using Pyrometer.Operator.Api.V1Alpha1;
using Pyrometer.Operator.Comparison;
using Pyrometer.Rendering.Comparison;

namespace Pyrometer.Operator.Tests.Comparison;

public sealed class RegressionVerdictTests
{
    /// <summary>One function with the given before/after shares (percent); sample counts do not enter the verdict.</summary>
    private static FunctionChange F(string name, double selfBefore, double selfAfter, double totalBefore, double totalAfter, string file = "app.py") =>
        new(name, file, 0, 0, 0, 0, selfBefore, selfAfter, totalBefore, totalAfter);

    private static ComparisonOutcome Decide(double threshold, params FunctionChange[] functions) =>
        RegressionVerdict.Decide(new ProfileChanges(1000, 2000, functions), threshold, "checkout-3");

    // threshold, total growth, self growth → Regressed
    [Theory]
    [InlineData(5, 12.4, 0, Condition.True)]
    [InlineData(5, 0, 5.01, Condition.True)]      // self growth counts as well
    [InlineData(5, 5, 0, Condition.False)]        // "more than": exactly the threshold is no regression
    [InlineData(5, 5.004, 0, Condition.False)]    // decided on the 2-decimal value the status shows (5.00)
    [InlineData(5, 5.006, 0, Condition.True)]     // ... 5.01
    [InlineData(20, 19.99, 19.99, Condition.False)]
    [InlineData(0.5, 0.51, 0, Condition.True)]
    public void Decide_ThresholdTable(double threshold, double totalGrowth, double selfGrowth, string expected)
    {
        var outcome = Decide(threshold, F("handle_quote", 0, selfGrowth, 0, totalGrowth), F("parse", 20, 19, 40, 39));

        Assert.Equal(expected, outcome.Status);
        Assert.Equal(expected == Condition.True ? Conditions.FunctionGrew : Conditions.NoRegression, outcome.Reason);
    }

    [Fact]
    public void Decide_Regressed_NamesTheLargestGrowthAndCountsTheOthers()
    {
        var outcome = Decide(5, F("parse", 5, 11, 5, 11), F("handle_quote", 1, 2, 20, 32.4), F("small", 1, 2, 1, 2));

        Assert.Equal(
            "Compared with checkout-3: handle_quote (app.py) grew 12.4 pp total, over the 5 pp threshold (2 functions grew more than the threshold).",
            outcome.Message);
    }

    [Fact]
    public void Decide_NotRegressed_NamesTheLargestGrowthBelowTheThreshold()
    {
        var outcome = Decide(5, F("parse", 10, 11.2, 10, 11.2, file: "lib/parse.py"), F("load", 10, 8.8, 20, 18.8));

        Assert.Equal("Compared with checkout-3: no function grew more than 5 pp (largest: parse (lib/parse.py) +1.2 pp total).", outcome.Message);
    }

    [Fact]
    public void Decide_NothingGrew_SaysSo()
    {
        var outcome = Decide(7.5, F("same", 50, 50, 100, 100));

        Assert.Equal(Condition.False, outcome.Status);
        Assert.Equal("Compared with checkout-3: no function grew more than 7.5 pp (none grew).", outcome.Message);
    }

    [Fact]
    public void Decide_TotalGrewWhileSelfShrankMore_StillCountsTheTotalGrowth()
    {
        // Ranked among the shrinkers by its larger self drop, but its total share grew by 6 pp.
        var outcome = Decide(5, F("caller", 30, 20, 40, 46));

        Assert.Equal(Condition.True, outcome.Status);
        Assert.Empty(outcome.Comparison!.Grew);
        Assert.Equal("caller", Assert.Single(outcome.Comparison.Shrank).Function);
    }

    [Fact]
    public void Decide_Status_TopFiveEachWayRoundedLargestFirst()
    {
        var grew = Enumerable.Range(1, 7).Select(i => F($"up{i}", 0, i + 0.123456, 0, i + 0.123456)).ToArray();
        var shrank = Enumerable.Range(1, 6).Select(i => F($"down{i}", 10, 10 - i, 10, 10 - i)).ToArray();

        var comparison = Decide(50, [.. grew, .. shrank]).Comparison!;

        Assert.Equal(["up7", "up6", "up5", "up4", "up3"], comparison.Grew.Select(f => f.Function));
        Assert.Equal(["down6", "down5", "down4", "down3", "down2"], comparison.Shrank.Select(f => f.Function));
        var top = comparison.Grew[0];
        Assert.Equal((7.12, 7.12, 0, 7.12, 0, 7.12), (top.SelfChange, top.TotalChange, top.SelfBefore, top.SelfAfter, top.TotalBefore, top.TotalAfter));
        Assert.Equal(("checkout-3", 50.0, 1000L, 2000L), (comparison.Baseline, comparison.Threshold, comparison.BeforeSamples, comparison.AfterSamples));
    }

    [Theory]
    [InlineData(1.006, 1.01)]
    [InlineData(1.004, 1)]
    [InlineData(-0.004, 0)]
    [InlineData(-1.006, -1.01)]
    public void Round_TwoDecimalsAwayFromZeroWithoutNegativeZero(double value, double expected)
    {
        var rounded = RegressionVerdict.Round(value);
        Assert.Equal(expected, rounded);
        Assert.False(double.IsNegative(rounded) && rounded == 0);
    }
}
