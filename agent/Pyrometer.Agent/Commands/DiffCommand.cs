using Pyrometer.Agent.Contracts;
using Pyrometer.Rendering.Comparison;
using Pyrometer.Rendering.FlameGraph;
using Pyrometer.Rendering.Model;

namespace Pyrometer.Agent.Commands;

/// <summary>
/// <c>pyrometer diff BEFORE AFTER -o diff.svg</c>: two differential flamegraphs and a top-changes table.
/// <c>diff.svg</c> has AFTER's shape (red: grew or new), <c>diff.before.svg</c> BEFORE's (blue: shrank or gone,
/// which AFTER has no box for), <c>diff.changes.json</c> the functions that grew and shrank the most; the same
/// table is printed. Frames match by function and file unless <paramref name="byLine"/>.
/// </summary>
internal static class DiffCommand
{
    public static async Task<int> RunAsync(
        string before, string after, string output, CancellationToken cancellationToken, bool byPid = false, bool byLine = false)
    {
        if (ProfileFiles.TryLoad(before, out var error) is not { } first || ProfileFiles.TryLoad(after, out error) is not { } second)
        {
            return await ConvertCommand.UsageAsync(error).ConfigureAwait(false);
        }
        if (!byPid)
        {
            first = IdFolding.WithoutIds(first);
            second = IdFolding.WithoutIds(second);
        }
        if (!byLine)
        {
            // Folded once here so the graphs and the table see the same profiles; the writer folds again at no change.
            first = LineFolding.WithoutLines(first);
            second = LineFolding.WithoutLines(second);
        }
        var (beforeOutput, changesOutput) = CompanionPaths(output);
        var changes = ProfileComparison.Compare(first, second);
        var problem = ProfileFiles.TryWrite(output, file => DiffFlameGraphWriter.Write(first, second, file, new DiffOptions { ByLine = byLine }))
            ?? ProfileFiles.TryWrite(beforeOutput, file => DiffFlameGraphWriter.Write(first, second, file, new DiffOptions { ByLine = byLine, Shape = DiffShape.Before }))
            ?? ProfileFiles.TryWrite(changesOutput, file => ChangesJsonWriter.Write(changes, file, byLine ? "line" : "function"));
        if (problem is not null)
        {
            return await ConvertCommand.UsageAsync(problem).ConfigureAwait(false);
        }
        await Console.Out.WriteLineAsync(
            $"pyrometer: wrote {output} (AFTER's shape, red: grew), {beforeOutput} (BEFORE's shape, blue: shrank) and {changesOutput}; "
            + $"{first.TotalSamples:N0} → {second.TotalSamples:N0} samples, matched by {(byLine ? "line" : "function")}").ConfigureAwait(false);
        await Console.Out.WriteAsync("\n" + ChangesTable.Render(changes)).ConfigureAwait(false);
        return (int)AgentExitCode.Ok;
    }

    /// <summary>
    /// The files written beside <paramref name="output"/>: <c>diff.svg</c> gives <c>diff.before.svg</c> and
    /// <c>diff.changes.json</c>; a name without <c>.svg</c> keeps its whole name as the stem.
    /// </summary>
    public static (string BeforeSvg, string ChangesJson) CompanionPaths(string output)
    {
        var stem = output.EndsWith(".svg", StringComparison.OrdinalIgnoreCase) ? output[..^4] : output;
        return (stem + ".before.svg", stem + ".changes.json");
    }
}
