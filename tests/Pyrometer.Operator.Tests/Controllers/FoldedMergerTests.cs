using System.Text;
using System.Text.RegularExpressions;
using Pyrometer.Operator.Controllers;
using Pyrometer.Rendering.Formats;

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

        var error = await Assert.ThrowsAnyAsync<FormatException>(() => FoldedMerger.MergeAsync([Text("main;a 1\nmain;b\n")], output, CancellationToken.None));

        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Input that the two readers of folded text (the merge here, Rendering's profile reader) once parsed differently.</summary>
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
        // Rendering's reader over all inputs at once: what a merged profile should hold.
        var direct = Load(string.Concat(inputs), out var directError);

        using var merged = new MemoryStream();
        Exception? mergeError = null;
        try
        {
            await FoldedMerger.MergeAsync(inputs.Select(Text), merged, CancellationToken.None);
        }
        catch (FormatException e)
        {
            mergeError = e;
        }
        var viaMerge = mergeError is null ? Load(Encoding.UTF8.GetString(merged.ToArray()), out mergeError) : null;

        // The same problem; its line number differs when it is in a later input (the merge counts per input).
        Assert.Equal(Problem(directError), Problem(mergeError));
        Assert.Equal(direct, viaMerge);
    }

    [Fact]
    public async Task MergeAsync_CountsPastLongMax_RefusedNotWrapped()
    {
        using var output = new MemoryStream();

        var error = await Assert.ThrowsAnyAsync<FormatException>(() =>
            FoldedMerger.MergeAsync([Text($"a {long.MaxValue}\n"), Text("a 1\n")], output, CancellationToken.None));

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
            var profile = ProfileLoader.Load(input, "merge");
            using var output = new MemoryStream();
            OutputFormats.Folded.Write(profile, output);
            return Encoding.UTF8.GetString(output.ToArray());
        }
        catch (ProfileFormatException e)
        {
            error = e;
            return null;
        }
    }
}
