using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Pyrometer.Sampling.Tests.Live;

/// <summary>
/// The interpreters live tests run against, found once per test run:
/// $PYROMETER_TEST_PYTHONS (paths joined with ':'), else the manifest hack/install-test-deps.sh wrote
/// (<see cref="PythonManifest.CacheDirectory"/>), else pyenv's versions folder. Every interpreter is
/// asked its version once; one that does not answer becomes a missing one, with the reason.
/// </summary>
public static partial class TestPythons
{
    public const string PathsVariable = "PYROMETER_TEST_PYTHONS";

    private static readonly Lazy<Discovery> Found = new(Discover);

    /// <summary>Interpreters that started and reported their version.</summary>
    public static IReadOnlyList<TestPython> Available => Found.Value.Available;

    /// <summary>Interpreters that are wanted but unusable, each with <see cref="TestPython.SkipReason"/>.</summary>
    public static IReadOnlyList<TestPython> Missing => Found.Value.Missing;

    /// <summary>Where the list came from, for messages.</summary>
    public static string Source => Found.Value.Source;

    /// <summary>The skip reason for live tests when <see cref="Available"/> is empty.</summary>
    public static string NoneFoundReason =>
        $"No CPython interpreter found ({Source}). Run hack/install-test-deps.sh or set {PathsVariable}=/path/to/python3.X[:...].";

    /// <summary>One row per available interpreter, for <c>[MemberData]</c>; prefer <see cref="PythonTheoryAttribute"/>, which also reports skips.</summary>
    public static TheoryData<TestPython> Rows
    {
        get
        {
            var rows = new TheoryData<TestPython>();
            foreach (var python in Available)
            {
                rows.Add(python);
            }
            return rows;
        }
    }

    private sealed record Discovery(IReadOnlyList<TestPython> Available, IReadOnlyList<TestPython> Missing, string Source);

    private static Discovery Discover()
    {
        var cache = PythonManifest.CacheDirectory;
        var manifestPath = Path.Combine(cache, PythonManifest.FileName);
        var missingPath = Path.Combine(cache, PythonManifest.MissingFileName);
        var manifest = File.Exists(manifestPath)
            ? PythonManifest.ParseInstalled(File.ReadAllText(manifestPath), manifestPath)
            : [];
        var missing = File.Exists(missingPath)
            ? PythonManifest.ParseMissing(File.ReadAllText(missingPath), missingPath).ToList()
            : [];

        List<(string Path, string Origin)> candidates;
        string source;
        if (Environment.GetEnvironmentVariable(PathsVariable) is { Length: > 0 } paths)
        {
            source = $"${PathsVariable}";
            var origins = manifest.ToDictionary(p => p.Path, p => p.Origin, StringComparer.Ordinal);
            candidates = [.. paths.Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(p => (p, origins.GetValueOrDefault(p, "env")))];
        }
        else if (manifest.Count > 0)
        {
            source = manifestPath;
            candidates = [.. manifest.Select(p => (p.Path, p.Origin))];
        }
        else
        {
            var pyenvRoot = Environment.GetEnvironmentVariable("PYENV_ROOT") is { Length: > 0 } r ? r : "/root/.pyenv";
            source = $"no ${PathsVariable}, no {manifestPath}, searched {pyenvRoot}/versions";
            candidates = PyenvCandidates(pyenvRoot);
        }

        var available = new List<TestPython>();
        foreach (var (path, origin) in candidates.Distinct())
        {
            if (!File.Exists(path))
            {
                missing.Add(new TestPython("", Path.GetFileName(path), origin, $"{path} (from {source}) does not exist."));
                continue;
            }
            var (version, error) = AskVersion(path);
            if (version is null)
            {
                missing.Add(new TestPython("", Path.GetFileName(path), origin, $"{path} does not report its version: {error}"));
                continue;
            }
            available.Add(new TestPython(path, version, origin));
        }
        return new Discovery(available, missing, source);
    }

    private static List<(string Path, string Origin)> PyenvCandidates(string root)
    {
        var versions = Path.Combine(root, "versions");
        if (!Directory.Exists(versions))
        {
            return [];
        }
        var result = new List<(string, string)>();
        foreach (var dir in Directory.GetDirectories(versions).Order(StringComparer.Ordinal))
        {
            var match = PyenvVersion().Match(Path.GetFileName(dir));
            if (!match.Success || int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) < 8)
            {
                continue;   // Python 2, 3.7 and older, and non-CPython builds are out of scope
            }
            var executable = Path.Combine(dir, "bin", $"python3.{match.Groups[1].Value}");
            if (File.Exists(executable))
            {
                result.Add((executable, "pyenv"));
            }
        }
        return result;
    }

    [GeneratedRegex(@"^3\.(\d+)\.\d+$")]
    private static partial Regex PyenvVersion();

    // Prints major.minor.micro plus a pre-release tag, exactly as install-test-deps.sh records it.
    private const string VersionProbe =
        "import sys; v = sys.version_info; " +
        "print('%d.%d.%d%s' % (v[0], v[1], v[2], '' if v[3] == 'final' else {'alpha': 'a', 'beta': 'b', 'candidate': 'rc'}[v[3]] + str(v[4])))";

    private static (string? Version, string Error) AskVersion(string path)
    {
        var info = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["-I", "-S", "-c", VersionProbe])
        {
            info.ArgumentList.Add(argument);
        }
        try
        {
            using var process = Process.Start(info);
            if (process is null)
            {
                return (null, "could not start it");
            }
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            // Bounded: an interpreter that hangs at start-up is reported, not waited for forever.
            if (!process.WaitForExit(TimeSpan.FromSeconds(15)))
            {
                process.Kill(entireProcessTree: true);
                return (null, "it did not answer within 15 s");
            }
            var version = stdout.GetAwaiter().GetResult().Trim();
            if (process.ExitCode != 0 || version.Length == 0)
            {
                var error = stderr.GetAwaiter().GetResult().Trim().Split('\n').LastOrDefault() ?? "";
                return (null, $"exit code {process.ExitCode.ToString(CultureInfo.InvariantCulture)}: {error}");
            }
            return (version, "");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            return (null, e.Message);
        }
    }
}
