namespace Pyrometer.Operator.Storage.Tests.Support;

/// <summary>
/// The speedscope app from npm (a static page), as hack/install-test-deps.sh installs it for the browser tests
/// (the rendering tests find it the same way): its dist/release folder holds index.html and its assets.
/// </summary>
internal static class SpeedscopeApp
{
    public const string Version = "1.25.0";

    /// <summary>The app's folder (PYROMETER_SPEEDSCOPE names its index.html, else the test-deps cache), or null when not installed.</summary>
    public static string? Directory { get; } = Find();

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("PYROMETER_SPEEDSCOPE") is { Length: > 0 } given)
        {
            return File.Exists(given) ? Path.GetDirectoryName(given) : null;
        }
        var cache = Environment.GetEnvironmentVariable("PYROMETER_CACHE") is { Length: > 0 } c
            ? c
            : Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "pyrometer");
        var release = Path.Combine(cache, "tools", "speedscope-" + Version, "node_modules", "speedscope", "dist", "release");
        return File.Exists(Path.Combine(release, "index.html")) ? release : null;
    }
}
