using System.Text.Json;
using Pyrometer.Sampling.Python;

namespace Pyrometer.Sampling.Tests.Python;

public sealed class LineTableTests
{
    public static TheoryData<string> FixtureVersions => new() { "3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "3.15" };

    [Theory]
    [MemberData(nameof(FixtureVersions))]
    public void LineAt_EveryInstructionOfRealCodeObjects_MatchesCPython(string version)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Assets", "python-linetables", $"linetables-{version}.json");
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = document.RootElement;
        var format = root.GetProperty("format").GetString() switch
        {
            "lnotab" => LineTableFormat.Lnotab,
            "linetable310" => LineTableFormat.LineTable310,
            "locations" => LineTableFormat.Locations,
            var other => throw new InvalidDataException($"{path}: unknown format {other}"),
        };
        var checkedCount = 0;
        var mismatches = new List<string>();
        foreach (var code in root.GetProperty("codes").EnumerateArray())
        {
            var table = Convert.FromHexString(code.GetProperty("table").GetString()!);
            var firstLine = code.GetProperty("firstLine").GetInt32();
            var decoded = LineTable.Decode(format, table, firstLine);
            Assert.NotNull(decoded);
            foreach (var range in code.GetProperty("ranges").EnumerateArray())
            {
                var start = range[0].GetInt32();
                var end = range[1].GetInt32();
                var expected = range[2].GetInt32();
                for (var index = start; index < end; index++)
                {
                    checkedCount++;
                    var actual = decoded.LineAt(index);
                    if (actual != expected && mismatches.Count < 10)
                    {
                        mismatches.Add($"{code.GetProperty("name").GetString()}@{index}: expected {expected}, got {actual}");
                    }
                    else if (actual != expected)
                    {
                        mismatches.Add("…");
                    }
                }
            }
        }
        Assert.True(checkedCount > 10_000, $"only {checkedCount} instructions in {path}");
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} mismatches in {path}: {string.Join("; ", mismatches.Take(10))}");
    }

    [Theory]
    [InlineData((int)LineTableFormat.Lnotab)]
    [InlineData((int)LineTableFormat.LineTable310)]
    [InlineData((int)LineTableFormat.Locations)]
    public void LineAt_NotStarted_ReturnsFirstLine(int formatValue)
    {
        var format = (LineTableFormat)formatValue;
        var table = LineTable.Decode(format, Fakes.LineTableEncoder.Encode(format, 7, [8, 9]), 7);

        Assert.Equal(7, table!.LineAt(-1));
    }

    [Fact]
    public void Decode310_NoLineEntry_StillAdvancesTheAddress()
    {
        // 4 bytes on line 11 (+1), 4 bytes with no line (-128), 2 bytes on line 12 (+1 from 11).
        byte[] raw = [4, 1, 4, 0x80, 2, 1];

        var table = LineTable.Decode(LineTableFormat.LineTable310, raw, 10)!;

        Assert.Equal([11, 11, 0, 0, 12], Enumerable.Range(0, 5).Select(table.LineAt));
    }

    [Fact]
    public void DecodeLocations_NoLocationEntry_KeepsRunningLineForLaterEntries()
    {
        // code 13 (+2) for 1 unit, code 15 (no location) for 2 units, code 10 (+0) for 1 unit with two column bytes.
        byte[] raw = [0x80 | 13 << 3, 4, 0x80 | 15 << 3 | 1, 0x80 | 10 << 3, 1, 2];

        var table = LineTable.Decode(LineTableFormat.Locations, raw, 100)!;

        Assert.Equal([102, 0, 0, 102], Enumerable.Range(0, 4).Select(table.LineAt));
        Assert.Equal(0, table.LineAt(4));
    }

    [Theory]
    [InlineData(new byte[] { 0x05 })]                          // not an entry start
    [InlineData(new byte[] { 0x80 | 13 << 3, 0x41 })]          // varint runs off the end
    [InlineData(new byte[] { 0x80 | 14 << 3, 2, 0, 0 })]       // long form missing its last varint
    [InlineData(new byte[] { 0x80 | 11 << 3, 1 })]             // one-line form missing a column byte
    public void DecodeLocations_Malformed_ReturnsNull(byte[] raw)
    {
        Assert.Null(LineTable.Decode(LineTableFormat.Locations, raw, 1));
    }

    [Fact]
    public void DecodeLocations_RandomBytes_NeverThrows()
    {
        var random = new Random(1234);
        for (var i = 0; i < 2000; i++)
        {
            var raw = new byte[random.Next(0, 300)];
            random.NextBytes(raw);
            foreach (var format in Enum.GetValues<LineTableFormat>())
            {
                var table = LineTable.Decode(format, raw, random.Next(0, 100_000));
                _ = table?.LineAt(random.Next(-1, 400));
            }
        }
    }

    [Fact]
    public void DecodeLnotab_NegativeAndLargeDeltas_FollowsSignedIncrements()
    {
        var lines = new[] { 5, 5, 400, 400, 3, 70_000 };

        var table = LineTable.Decode(LineTableFormat.Lnotab, Fakes.LineTableEncoder.Encode(LineTableFormat.Lnotab, 5, lines), 5)!;

        Assert.Equal(lines, Enumerable.Range(0, lines.Length).Select(u => table.LineAt(u * 2)));
        Assert.Equal(70_000, table.LineAt(11));
    }

    [Theory]
    [InlineData("lnotab", new byte[] { 2, 100, 2, 100 })]
    [InlineData("linetable310", new byte[] { 2, 100, 2, 100 })]
    [InlineData("locations", new byte[] { 0x80 | 13 << 3, 0x3E, 0x80 | 13 << 3, 0x3E })]   // +31 each
    public void Decode_LineDeltasPastIntMax_ReturnsNullInsteadOfWrapping(string format, byte[] table)
    {
        var parsed = Enum.Parse<LineTableFormat>(format, ignoreCase: true);

        Assert.Null(LineTable.Decode(parsed, table, int.MaxValue - 40));
    }
}
