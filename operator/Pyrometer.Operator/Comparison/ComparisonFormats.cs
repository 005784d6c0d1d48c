namespace Pyrometer.Operator.Comparison;

/// <summary>
/// The artifacts a comparison adds to <c>status.artifacts</c> (pod "", like the merged profile), named as
/// <c>pyrometer diff</c> names its three files: diff.svg, diff.before.svg and diff.changes.json.
/// </summary>
internal static class ComparisonFormats
{
    /// <summary>AFTER's shape, red where a call path's share grew (what is new shows here).</summary>
    public const string Diff = "diff";

    /// <summary>BEFORE's shape, blue where a call path's share shrank (what went away shows here).</summary>
    public const string DiffBefore = "diff-before";

    /// <summary>Every function that grew or shrank, as <c>pyrometer diff</c>'s X.changes.json.</summary>
    public const string Changes = "changes";

    public static IReadOnlyList<string> All { get; } = [Diff, DiffBefore, Changes];

    public static string Extension(string format) => format == Changes ? "json" : "svg";

    public static string ContentType(string format) => format == Changes ? "application/json" : "image/svg+xml";
}
