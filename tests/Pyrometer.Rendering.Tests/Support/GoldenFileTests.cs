namespace Pyrometer.Rendering.Tests.Support;

public sealed class GoldenFileTests
{
    [Fact]
    public void FirstDifference_Equal_IsNull()
    {
        Assert.Null(GoldenFile.FirstDifference("a\nb\n", "a\nb\n"));
    }

    [Fact]
    public void FirstDifference_LineChanged_NamesLineAndBothTexts()
    {
        var difference = GoldenFile.FirstDifference("a\nb\nc\n", "a\nB\nc\n");

        Assert.Equal("at line 2:\n  expected: b\n  actual:   B", difference);
    }

    [Fact]
    public void FirstDifference_ActualShorter_SaysEndOfFile()
    {
        Assert.Contains("actual:   <end of file>", GoldenFile.FirstDifference("a\nb", "a"), StringComparison.Ordinal);
    }

    [Fact]
    public void AssertMatches_Mismatch_MessageNamesGoldenPath()
    {
        if (GoldenFile.Updating)
        {
            return;   // while rewriting goldens a mismatch cannot happen; the other facts still check the logic
        }

        var error = Assert.ThrowsAny<Exception>(() => GoldenFile.AssertMatches("simple", "expected.folded", "not the golden\n"));

        Assert.Contains(Path.Combine("Golden", "simple", "expected.folded"), error.Message, StringComparison.Ordinal);
        Assert.Contains("at line 1", error.Message, StringComparison.Ordinal);
    }
}
