using Pyrometer.Rendering.Comparison;
using Pyrometer.Rendering.FlameGraph;
using Pyrometer.Rendering.Model;

namespace Pyrometer.Operator.Storage;

/// <summary>
/// Two requests' profiles compared as <c>pyrometer diff</c> compares two files by default: processes matched by
/// command line and threads by name (pids differ between runs), frames by function and file (an edit that moves
/// lines is no change). Pure: the renderers get the same folded profiles the table was computed from.
/// </summary>
internal sealed class ViewerComparison
{
    public ViewerComparison(string beforeId, Profile before, string afterId, Profile after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        BeforeId = beforeId;
        AfterId = afterId;
        Before = LineFolding.WithoutLines(IdFolding.WithoutIds(before));
        After = LineFolding.WithoutLines(IdFolding.WithoutIds(after));
        Changes = ProfileComparison.Compare(Before, After);
    }

    public string BeforeId { get; }

    public string AfterId { get; }

    public Profile Before { get; }

    public Profile After { get; }

    public ProfileChanges Changes { get; }

    /// <summary>The differential flame graph in AFTER's shape (what grew) or BEFORE's (what shrank or went away).</summary>
    public void WriteFlameGraph(DiffShape shape, Stream output)
    {
        var options = new DiffOptions
        {
            Shape = shape,
            FlameGraph = FlameGraphOptions.Default with { Title = $"Pyrometer diff: {BeforeId} → {AfterId}" },
        };
        DiffFlameGraphWriter.Write(Before, After, output, options);
    }

    /// <summary>The changes as <c>pyrometer diff</c>'s X.changes.json.</summary>
    public void WriteChangesJson(Stream output) => ChangesJsonWriter.Write(Changes, output, "function");
}
