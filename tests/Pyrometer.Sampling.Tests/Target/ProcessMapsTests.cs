using System.Globalization;
using System.Text;
using Pyrometer.Sampling.Target;

namespace Pyrometer.Sampling.Tests.Target;

public sealed class ProcessMapsTests
{
    private static ProcessMaps Tricky() => ProcessMaps.Parse(AssetFiles.Read("maps-tricky.txt"));

    [Fact]
    public void Parse_TrickyFile_ReadsEveryLine()
    {
        var maps = Tricky();

        Assert.Equal(16, maps.Regions.Count);
        var first = maps.Regions[0];
        Assert.Equal(0x400000UL, first.Start);
        Assert.Equal(0x420000UL, first.End);
        Assert.Equal("r--p", first.Permissions);
        Assert.Equal(0UL, first.Offset);
        Assert.Equal("fd:01", first.Device);
        Assert.Equal(1835021UL, first.Inode);
        Assert.Equal("/usr/bin/python3.11", first.Path);
        Assert.False(first.IsDeleted);
    }

    [Fact]
    public void Parse_PathWithSpaces_KeepsWholePath()
    {
        var region = Tricky().Find(0x7f10a42f5000)!;

        Assert.Equal("/opt/my app/lib/libpython3.12.so.1.0", region.Path);
        Assert.Equal("libpython3.12.so.1.0", region.FileName);
        Assert.Equal(0xf5000UL, region.Offset);
        Assert.True(region.CanExecute);
    }

    [Fact]
    public void Parse_DeletedSuffix_IsStrippedAndFlagged()
    {
        var maps = Tricky();

        var libc = maps.Find(0x7f10a4600000)!;
        var memfd = maps.Find(0x7f10a4611000)!;

        Assert.Equal("/usr/lib/x86_64-linux-gnu/libc.so.6", libc.Path);
        Assert.True(libc.IsDeleted);
        Assert.Equal("/memfd:jit", memfd.Path);
        Assert.True(memfd.IsDeleted);
    }

    [Fact]
    public void Parse_DeletedInsidePath_IsNotASuffix()
    {
        var region = Tricky().Find(0x7f10a4612000)!;

        Assert.Equal("/srv/a (b) (deleted) x", region.Path);
        Assert.False(region.IsDeleted);
    }

    [Fact]
    public void Parse_AnonymousAndPseudoRegions_AreNotFiles()
    {
        var maps = Tricky();

        var anonymous = maps.Find(0x00a84000)!;
        var heap = maps.Find(0x01b2e000)!;
        var stack = maps.Find(0x7ffc1a2d0fff)!;

        Assert.Equal("", anonymous.Path);
        Assert.False(anonymous.IsFile);
        Assert.Equal("[heap]", heap.Path);
        Assert.False(heap.IsFile);
        Assert.Equal("[stack]", stack.Path);
        Assert.False(stack.IsFile);
    }

    [Fact]
    public void Find_AddressInGapOrAtEnd_ReturnsNull()
    {
        var maps = Tricky();

        Assert.Null(maps.Find(0x3fffff));
        Assert.Null(maps.Find(0x01c4f000));      // End is exclusive
        Assert.NotNull(maps.Find(0x01c4efff));
        Assert.Null(maps.Find(0));
    }

    [Fact]
    public void IsReadable_RangeWithinOrAcrossAdjacentReadableRegions_ReturnsTrue()
    {
        var maps = Tricky();

        Assert.True(maps.IsReadable(0x400000, 0x20000));
        Assert.True(maps.IsReadable(0x41fff0, 0x20));        // r--p then r-xp, adjacent
        Assert.True(maps.IsReadable(0x00a83ff0, 0x20));      // rw-p file then anonymous, adjacent
    }

    [Fact]
    public void IsReadable_RangeIntoGapOrUnreadableRegion_ReturnsFalse()
    {
        var maps = Tricky();

        Assert.False(maps.IsReadable(0x006d2ff0, 0x20));     // runs past the end into a hole
        Assert.False(maps.IsReadable(0x7f10a4610000, 1));    // ---p guard
        Assert.False(maps.IsReadable(0xffffffffff600000, 8)); // --xp
        Assert.False(maps.IsReadable(ulong.MaxValue - 4, 16)); // wraps around
    }

    [Fact]
    public void RegionsOf_Path_ReturnsOnlyItsRegionsInOrder()
    {
        var regions = Tricky().RegionsOf("/usr/bin/python3.11");

        Assert.Equal([0UL, 0x1f000UL, 0x544000UL], regions.Select(r => r.Offset));
    }

    [Fact]
    public void FilePaths_Tricky_ListsDistinctFilesOnly()
    {
        var paths = Tricky().FilePaths();

        Assert.Equal(
            ["/usr/bin/python3.11", "/opt/my app/lib/libpython3.12.so.1.0", "/usr/lib/x86_64-linux-gnu/libc.so.6", "/memfd:jit", "/srv/a (b) (deleted) x"],
            paths);
    }

    [Fact]
    public void Parse_MalformedLine_ThrowsNamingTheLine()
    {
        var error = Assert.Throws<FormatException>(() => ProcessMaps.Parse(AssetFiles.Read("maps-malformed.txt")));

        Assert.Contains("maps line 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("00420000 r-xp", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EmptyText_HasNoRegions()
    {
        Assert.Empty(ProcessMaps.Parse("").Regions);
    }

    [Fact]
    public void Read_OwnProcess_FindsOwnStack()
    {
        var maps = ProcessMaps.Read(Environment.ProcessId);
        var local = 0;
        unsafe
        {
            var address = (ulong)&local;
            Assert.True(maps.IsReadable(address, sizeof(int)));
            Assert.True(maps.Find(address)!.CanWrite);
        }
    }

    [Fact]
    public void Read_MapsLargerThanCap_KeepsWholeLinesUpToTheCap()
    {
        // 65 530 mappings with 4 KiB paths is what a hostile target can show; here 9 000 of them (36 MiB).
        var root = Directory.CreateTempSubdirectory("pyrometer-maps-");
        try
        {
            Directory.CreateDirectory(Path.Combine(root.FullName, "77"));
            var longPath = "/" + new string('x', 4000);
            var text = new StringBuilder();
            for (var i = 0; i < 9000; i++)
            {
                var start = 0x7f00_0000_0000UL + (ulong)i * 0x1000;
                text.Append(CultureInfo.InvariantCulture, $"{start:x}-{start + 0x1000:x} r--p 00000000 08:01 {i + 1} {longPath}\n");
            }
            File.WriteAllText(Path.Combine(root.FullName, "77", "maps"), text.ToString());

            var maps = ProcessMaps.Read(77, root.FullName);

            Assert.InRange(maps.Regions.Count, 1000, ProcessMaps.MaxBytes / 4000);
            Assert.All(maps.Regions, r => Assert.Equal(longPath, r.Path));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
