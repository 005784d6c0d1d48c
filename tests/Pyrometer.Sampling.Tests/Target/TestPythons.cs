namespace Pyrometer.Sampling.Tests.Target;

/// <summary>
/// The interpreters listed for live tests: <c>PYROMETER_TEST_PYTHONS</c> (paths joined with ':'), else the
/// manifest <c>$PYROMETER_CACHE/pythons.tsv</c> written by hack/install-test-deps.sh.
/// </summary>
internal static class TestPythons
{
    public static IReadOnlyList<string> List()
    {
        if (Environment.GetEnvironmentVariable("PYROMETER_TEST_PYTHONS") is { Length: > 0 } listed)
        {
            return listed.Split(':', StringSplitOptions.RemoveEmptyEntries).Where(File.Exists).ToList();
        }
        var manifest = Path.Combine(CacheDirectory(), "pythons.tsv");
        if (!File.Exists(manifest))
        {
            return [];
        }
        return File.ReadAllLines(manifest)
            .Select(line => line.Split('\t'))
            .Where(fields => fields.Length >= 2 && File.Exists(fields[1]))
            .Select(fields => fields[1])
            .ToList();
    }

    private static string CacheDirectory()
    {
        if (Environment.GetEnvironmentVariable("PYROMETER_CACHE") is { Length: > 0 } cache)
        {
            return cache;
        }
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(xdg is { Length: > 0 } ? xdg : Path.Combine(home, ".cache"), "pyrometer");
    }
}
