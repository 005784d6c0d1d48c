using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Pyrometer.Rendering.Formats;
using Pyrometer.Rendering.Model;
using Pyrometer.Rendering.Tests.Support;

namespace Pyrometer.Rendering.Tests.Formats;

public sealed class ProfileMergerTests
{
    private const long NoCap = long.MaxValue;

    private static readonly string[] GoldenPods = ["pod-a.folded", "pod-b.folded", "pod-c.pb.gz"];

    private static MemoryStream Text(string text) => new(Encoding.UTF8.GetBytes(text));

    private static Task<Profile> MergeAsync(IEnumerable<Stream> inputs, long maxBytes = NoCap) =>
        ProfileMerger.MergeAsync(inputs, "shop/search", maxBytes, CancellationToken.None);

    private static string Folded(Profile profile)
    {
        using var output = new MemoryStream();
        OutputFormats.Folded.Write(profile, output);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    [Fact]
    public async Task MergeAsync_SameStackInTwoPods_SumsAndSorts()
    {
        var merged = await MergeAsync([Text("main;b 2\nmain;a 1\n"), Text("main;a 4\n\nmain;c d 1\n")]);

        Assert.Equal("main;a 5\nmain;b 2\nmain;c d 1\n", Folded(merged));
        Assert.Equal(8, merged.TotalSamples);
        Assert.Equal("shop/search", merged.Metadata.Target);
    }

    /// <summary>
    /// Pins the merge to the bytes the operator wrote before it had one merger (its folded merge, then the
    /// profile loader; pprof inputs turned into folded text first): two pods' folded text, CRLF and UTF-8
    /// included, and a third pod's pprof, rendered as the merged folded and pprof artifacts.
    /// </summary>
    [Theory]
    [InlineData("expected.folded")]
    [InlineData("expected.pb.gz")]
    public async Task MergeAsync_FoldedAndPprofPods_SameBytesAsBefore(string expectedFile)
    {
        var directory = TestPaths.Golden("merge-pods");
        var inputs = GoldenPods.Select(f => File.OpenRead(Path.Combine(directory, f))).ToList();
        try
        {
            var merged = await ProfileMerger.MergeAsync(inputs, "ns/req", NoCap, CancellationToken.None);

            using var output = new MemoryStream();
            (expectedFile.EndsWith(".gz", StringComparison.Ordinal) ? OutputFormats.Pprof : OutputFormats.Folded).Write(merged, output);
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(directory, expectedFile)), output.ToArray());
        }
        finally
        {
            inputs.ForEach(i => i.Dispose());
        }
    }

    [Fact]
    public async Task MergeAsync_InputsInAnotherOrder_SameProfile()
    {
        string[] pods = ["main;b 2\nmain;a 1\n", "main;a 4\nz 1\n", "main;c 9\n"];

        var forward = Folded(await MergeAsync(pods.Select(Text)));
        var backward = Folded(await MergeAsync(pods.Reverse().Select(Text)));

        Assert.Equal(forward, backward);
    }

    [Fact]
    public async Task MergeAsync_LineWithoutCount_ThrowsNamingLine()
    {
        var error = await Assert.ThrowsAnyAsync<FormatException>(() => MergeAsync([Text("main;a 1\nmain;b\n")]));

        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MergeAsync_InputsOverTheCapTogether_TooLarge()
    {
        // Each is under the cap; the second takes the total over it.
        var error = await Assert.ThrowsAsync<ProfileTooLargeException>(() => MergeAsync([Text("main;a 1\n"), Text("main;b 1\n")], maxBytes: 12));

        Assert.Equal(12, error.MaxBytes);
    }

    [Fact]
    public async Task MergeAsync_PprofInflatingPastTheCap_TooLarge()
    {
        // A few hundred bytes of gzip that inflate to a megabyte: the cap holds for what a pprof input inflates to.
        using var bomb = new MemoryStream();
        using (var gzip = new GZipStream(bomb, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(new byte[1024 * 1024]);
        }
        bomb.Position = 0;
        Assert.True(bomb.Length < 64 * 1024);

        await Assert.ThrowsAsync<ProfileTooLargeException>(() => MergeAsync([bomb], maxBytes: 64 * 1024));
    }

    /// <summary>Input that the two readers of folded text (the merge here, the profile reader) once parsed differently.</summary>
    public static TheoryData<string[]> TrickyInputs =>
    [
        ["main (app one.py:3);handle request (my app/x.py:9) 2\n", "main (app one.py:3);handle request (my app/x.py:9) 5\n"],
        ["pid 7 gunicorn: worker [app];thread 9 Main Thread;run (a.py:1) 3\r\n\r\nb 1\r\n", "b 2\rc 1\r"],
        ["a;b 2 \t\n", "a;b 1\n"],
        [$"a {long.MaxValue - 1}\n", "a 1\n"],
        [$"a {long.MaxValue}\n", "b 1\n"],
        [$"a {long.MaxValue}\n", "a 1\n"],
        ["a 99999999999999999999\n"],
        ["a 0\n"],
        ["a;;b 1\n"],
        ["a;b\n"],
        ["\uFEFFa (x.py:1) 1\n", "a (x.py:1) 1\n"],
    ];

    [Theory]
    [MemberData(nameof(TrickyInputs))]
    public async Task MergeAsync_TrickyInput_AgreesWithTheProfileReader(string[] inputs)
    {
        // The profile reader over all inputs at once: what a merged profile should hold.
        var direct = Load(string.Concat(inputs), out var directError);

        string? viaMerge = null;
        Exception? mergeError = null;
        try
        {
            viaMerge = Folded(await MergeAsync(inputs.Select(Text)));
        }
        catch (FormatException e)
        {
            mergeError = e;
        }

        // The same problem; its line number differs when it is in a later input (the merge counts per input).
        Assert.Equal(Problem(directError), Problem(mergeError));
        Assert.Equal(direct, viaMerge);
    }

    [Fact]
    public async Task MergeAsync_CountsPastLongMax_RefusedNotWrapped()
    {
        var error = await Assert.ThrowsAnyAsync<FormatException>(() => MergeAsync([Text($"a {long.MaxValue}\n"), Text("a 1\n")]));

        Assert.Equal($"Folded line 1: the samples add up to more than {long.MaxValue}.", error.Message);
    }

    private static string? Problem(Exception? error) => error is null ? null : Regex.Replace(error.Message, "^Folded line [0-9]+: ", "");

    /// <summary>The profile read from folded text, written back as folded text; null with the error when refused.</summary>
    private static string? Load(string folded, out Exception? error)
    {
        error = null;
        try
        {
            using var input = Text(folded);
            return Folded(ProfileLoader.Load(input, "merge"));
        }
        catch (ProfileFormatException e)
        {
            error = e;
            return null;
        }
    }
}
