using System.IO.Compression;
using System.Text;
using Pyrometer.Rendering.Formats;
using Pyrometer.Rendering.Model;
using Pyrometer.Rendering.Tests.Pprof;
using Pyrometer.Rendering.Tests.Support;

namespace Pyrometer.Rendering.Tests.Formats;

/// <summary>The size cap of <see cref="ProfileLoader.Load(Stream, string, long)"/>: for profiles from a store, not a user's disk.</summary>
public sealed class ProfileLoaderSizeCapTests
{
    [Fact]
    public void Load_GzipBombUnderTheCapStored_IsStoppedWhileInflating()
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(new byte[8 * 1024 * 1024]);
        }
        Assert.True(compressed.Length < 64 * 1024, "the bomb itself is under the cap");
        compressed.Position = 0;

        var error = Assert.Throws<ProfileTooLargeException>(() => ProfileLoader.Load(compressed, "bomb", 64 * 1024));

        Assert.Equal(64 * 1024, error.MaxBytes);
        Assert.Contains("after inflating: over 65536 bytes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Load_InputOverTheCap_IsRefusedSeekableOrNot(bool seekable)
    {
        var text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("main;work 1\n", 1000)));
        Stream input = seekable ? new MemoryStream(text) : new NonSeekableStream(text);

        var error = Assert.Throws<ProfileTooLargeException>(() => ProfileLoader.Load(input, "big", text.Length - 1));

        Assert.Contains($"over {text.Length - 1} bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_PprofWithinTheCap_ReadsAsWithoutOne()
    {
        var profile = RandomProfiles.Create(4, 200).Profile;
        var bytes = PprofRoundTripTests.Write(profile);

        const long Cap = 1 << 20;
        Assert.True(bytes.Length < Cap / 4, "stored and inflated well under the cap");

        var capped = ProfileLoader.Load(new MemoryStream(bytes), "p", Cap);
        var uncapped = ProfileLoader.Load(new MemoryStream(bytes), "p");

        Assert.Equal(FoldedText(uncapped), FoldedText(capped));
        Assert.NotEmpty(FoldedText(capped));
    }

    private static string FoldedText(Profile profile)
    {
        using var output = new MemoryStream();
        Pyrometer.Rendering.Folded.FoldedWriter.Write(profile, output);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
