using System.Text.Json;
using Pyrometer.Rendering.Comparison;
using Pyrometer.Rendering.Model;
using Pyrometer.Rendering.Tests.Support;

namespace Pyrometer.Rendering.Tests.Comparison;

public sealed class ChangesJsonWriterTests
{
    [Fact]
    public void Write_RemovedAndAddedFunction_ListsBothWithSharesAndSamples()
    {
        var before = RandomProfiles.FromFolded(ProfileMetadata.None, ("main (a.py:1);slow (a.py:9)", 3), ("main (a.py:1)", 1));
        var after = RandomProfiles.FromFolded(ProfileMetadata.None, ("main (a.py:1);<lambda> (a.py:5)", 1), ("main (a.py:1)", 2));
        using var output = new MemoryStream();

        ChangesJsonWriter.Write(ProfileComparison.Compare(before, after), output, "line");

        using var json = JsonDocument.Parse(output.ToArray());
        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("version").GetInt32());
        Assert.Equal("line", root.GetProperty("matchedBy").GetString());
        Assert.Equal((4, 3), (root.GetProperty("beforeSamples").GetInt64(), root.GetProperty("afterSamples").GetInt64()));
        var grew = root.GetProperty("grew").EnumerateArray().Select(e => e.GetProperty("function").GetString()).ToList();
        Assert.Equal(["main", "<lambda>"], grew);
        var slow = Assert.Single(root.GetProperty("shrank").EnumerateArray());
        Assert.Equal("a.py", slow.GetProperty("file").GetString());
        var self = slow.GetProperty("self");
        Assert.Equal((-75.0, 75.0, 0.0), (self.GetProperty("change").GetDouble(), self.GetProperty("before").GetDouble(), self.GetProperty("after").GetDouble()));
        Assert.Equal((3, 0), (self.GetProperty("beforeSamples").GetInt64(), self.GetProperty("afterSamples").GetInt64()));
        var mainSelf = root.GetProperty("grew")[0].GetProperty("self");
        Assert.Equal(41.6667, mainSelf.GetProperty("change").GetDouble());   // 2/3 - 1/4, to four decimals
    }
}
