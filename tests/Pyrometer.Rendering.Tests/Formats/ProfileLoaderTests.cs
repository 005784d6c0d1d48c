using System.Text;
using Pyrometer.Rendering.Formats;
using Pyrometer.Rendering.Tests.Pprof;
using Pyrometer.Rendering.Tests.Support;

namespace Pyrometer.Rendering.Tests.Formats;

public sealed class ProfileLoaderTests
{
    [Fact]
    public void Detect_GzipMagic_IsPprofElseFolded()
    {
        Assert.Equal(InputFormat.Pprof, ProfileLoader.Detect([0x1f, 0x8b, 8]));
        Assert.Equal(InputFormat.Folded, ProfileLoader.Detect("a;b 1"u8));
        Assert.Equal(InputFormat.Folded, ProfileLoader.Detect([]));
    }

    [Fact]
    public void Load_Folded_UsesNameAsTarget()
    {
        var profile = ProfileLoader.Load(new MemoryStream(Encoding.UTF8.GetBytes("a (x.py:1) 4\n")), "before.folded");

        Assert.Equal("before.folded", profile.Metadata.Target);
        Assert.Equal(4, profile.TotalSamples);
    }

    [Fact]
    public void Load_Pprof_KeepsItsOwnTarget()
    {
        var bytes = PprofRoundTripTests.Write(RandomProfiles.Create(1, 30).Profile);

        var profile = ProfileLoader.Load(new NonSeekable(bytes), "after.pb.gz");

        Assert.Equal("random", profile.Metadata.Target);
    }

    [Fact]
    public void LoadFile_BadFolded_MessageNamesPathAndLine()
    {
        var path = Path.Combine(Path.GetTempPath(), $"pyrometer-bad-{Environment.ProcessId}.folded");
        File.WriteAllText(path, "a;b 1\nnot a count\n");
        try
        {
            var error = Assert.Throws<ProfileFormatException>(() => ProfileLoader.LoadFile(path));

            Assert.Contains(path, error.Message, StringComparison.Ordinal);
            Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private sealed class NonSeekable(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
