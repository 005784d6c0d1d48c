using System.Text;
using Pyrometer.Operator.Controllers;

namespace Pyrometer.Operator.Tests.Controllers;

public sealed class FoldedMergerTests
{
    private static MemoryStream Text(string text) => new(Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task MergeAsync_SameStackInTwoPods_SumsAndSorts()
    {
        using var output = new MemoryStream();

        var stacks = await FoldedMerger.MergeAsync([Text("main;b 2\nmain;a 1\n"), Text("main;a 4\n\nmain;c d 1\n")], output, CancellationToken.None);

        Assert.Equal(3, stacks);
        Assert.Equal("main;a 5\nmain;b 2\nmain;c d 1\n", Encoding.UTF8.GetString(output.ToArray()));
    }

    [Fact]
    public async Task MergeAsync_LineWithoutCount_ThrowsNamingLine()
    {
        using var output = new MemoryStream();

        var error = await Assert.ThrowsAsync<FormatException>(() => FoldedMerger.MergeAsync([Text("main;a 1\nmain;b\n")], output, CancellationToken.None));

        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
    }
}
