namespace Pyrometer.Rendering.Tests.Support;

/// <summary>
/// The speedscope app from npm (a static page), as hack/install-test-deps.sh installs it: its index.html opens a
/// profile named in the fragment (<c>#localProfilePath=FILE.js</c>, a script that hands it the file in base64).
/// </summary>
internal static class SpeedscopeApp
{
    public const string Version = "1.25.0";

    /// <summary>index.html of the app (PYROMETER_SPEEDSCOPE, else the test-deps cache), or null when not installed.</summary>
    public static string? IndexHtml { get; } = Find();

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("PYROMETER_SPEEDSCOPE") is { Length: > 0 } given)
        {
            return File.Exists(given) ? given : null;
        }
        var cache = Environment.GetEnvironmentVariable("PYROMETER_CACHE") is { Length: > 0 } c
            ? c
            : Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "pyrometer");
        var index = Path.Combine(cache, "tools", "speedscope-" + Version, "node_modules", "speedscope", "dist", "release", "index.html");
        return File.Exists(index) ? index : null;
    }
}
