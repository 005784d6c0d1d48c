using Pyrometer.Rendering.Comparison;
using Pyrometer.Rendering.Model;
using Pyrometer.Rendering.Tests.Support;

namespace Pyrometer.Rendering.Tests.Comparison;

public sealed class ChangesTableTests
{
    [Fact]
    public void Render_GrewAndShrank_AlignedRowsWithSignedPoints()
    {
        var before = RandomProfiles.FromFolded(ProfileMetadata.None, ("main (a.py:1);slow (a.py:9)", 60), ("main (a.py:1);fast (a.py:5)", 40));
        var after = RandomProfiles.FromFolded(ProfileMetadata.None, ("main (a.py:1);fast (a.py:5)", 10), ("<idle>", 10));

        var text = ChangesTable.Render(ProfileComparison.Compare(before, after));

        Assert.Equal(
            """
            Top changes in percentage points (pp) of each profile's samples; shares are BEFORE → AFTER.
            Grew most:
              Self pp  Total pp           Self %          Total %  Function (file)
               +50.00    +50.00    0.00 →  50.00    0.00 →  50.00  <idle>
               +10.00    +10.00   40.00 →  50.00   40.00 →  50.00  fast (a.py)
            Shrank most:
              Self pp  Total pp           Self %          Total %  Function (file)
               -60.00    -60.00   60.00 →   0.00   60.00 →   0.00  slow (a.py)
                 0.00    -50.00    0.00 →   0.00  100.00 →  50.00  main (a.py)

            """.ReplaceLineEndings("\n"),
            text.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Render_MoreThanRows_SaysHowManyMore_AndNoneWhenEmpty()
    {
        var before = RandomProfiles.FromFolded(ProfileMetadata.None, ("old (a.py:1)", 1));
        var after = RandomProfiles.FromFolded(ProfileMetadata.None, [.. Enumerable.Range(0, 13).Select(i => ($"new{i} (a.py:{i + 2})", 1L))]);

        var lines = ChangesTable.Render(ProfileComparison.Compare(before, after), rows: 10).ReplaceLineEndings("\n").Split('\n');

        Assert.Equal(3 + 10 + 1 + 3, lines.Length - 1);
        Assert.Equal("  … and 3 more", lines[13]);

        var unchanged = ChangesTable.Render(ProfileComparison.Compare(before, before)).ReplaceLineEndings("\n");
        Assert.EndsWith("Grew most:\n  (none)\nShrank most:\n  (none)\n", unchanged, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.004, "0.00")]
    [InlineData(-0.004, "0.00")]
    [InlineData(-0.005, "-0.01")]
    [InlineData(12.346, "+12.35")]
    public void Points_RoundsWithoutNegativeZero(double change, string expected) =>
        Assert.Equal(expected, ChangesTable.Points(change));
}
