namespace Pyrometer.Operator.Api.V1Alpha1;

/// <summary>The values of <c>spec.formats</c>, with the file extension and content type of each.</summary>
internal static class ProfileFormats
{
    public const string FlameGraph = "flamegraph";
    public const string Speedscope = "speedscope";
    public const string Folded = "folded";
    public const string Pprof = "pprof";

    public static IReadOnlyList<string> All { get; } = [FlameGraph, Speedscope, Folded, Pprof];

    public static string Extension(string format) => format switch
    {
        FlameGraph => "svg",
        Speedscope => "speedscope.json",
        Folded => "folded",
        Pprof => "pb.gz",
        _ => throw new ArgumentException($"Unknown profile format '{format}' (expected one of {string.Join(", ", All)}).", nameof(format)),
    };

    public static string ContentType(string format) => format switch
    {
        FlameGraph => "image/svg+xml",
        Speedscope => "application/json",
        Folded => "text/plain; charset=utf-8",
        Pprof => "application/octet-stream",
        _ => throw new ArgumentException($"Unknown profile format '{format}' (expected one of {string.Join(", ", All)}).", nameof(format)),
    };
}
