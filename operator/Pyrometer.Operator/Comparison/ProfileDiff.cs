using Pyrometer.Rendering.Comparison;
using Pyrometer.Rendering.FlameGraph;
using Pyrometer.Rendering.Model;

namespace Pyrometer.Operator.Comparison;

/// <summary>
/// Compares two profiles as <c>pyrometer diff</c> does by default (pure): processes and threads matched by name
/// rather than id, frames by function and file rather than line; then renders the comparison's three artifacts.
/// </summary>
internal static class ProfileDiff
{
    public static (ProfileChanges Changes, IReadOnlyList<(string Format, byte[] Bytes)> Artifacts) Compare(Profile before, Profile after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        before = LineFolding.WithoutLines(IdFolding.WithoutIds(before));
        after = LineFolding.WithoutLines(IdFolding.WithoutIds(after));
        var changes = ProfileComparison.Compare(before, after);
        return (changes,
        [
            (ComparisonFormats.Diff, Render(output => DiffFlameGraphWriter.Write(before, after, output, new DiffOptions { Shape = DiffShape.After }))),
            (ComparisonFormats.DiffBefore, Render(output => DiffFlameGraphWriter.Write(before, after, output, new DiffOptions { Shape = DiffShape.Before }))),
            (ComparisonFormats.Changes, Render(output => ChangesJsonWriter.Write(changes, output, "function"))),
        ]);
    }

    private static byte[] Render(Action<Stream> write)
    {
        using var output = new MemoryStream();
        write(output);
        return output.ToArray();
    }
}
