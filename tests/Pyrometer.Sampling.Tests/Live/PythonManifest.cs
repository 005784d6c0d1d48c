using System.Globalization;

namespace Pyrometer.Sampling.Tests.Live;

/// <summary>
/// Reads the files hack/install-test-deps.sh writes into the cache:
/// <c>pythons.tsv</c> (<c>version\tpath\torigin</c>) and <c>pythons-missing.tsv</c> (<c>wanted\torigin\treason</c>).
/// Blank lines and lines starting with '#' are ignored; anything else malformed is an error naming the line.
/// </summary>
internal static class PythonManifest
{
    public const string FileName = "pythons.tsv";
    public const string MissingFileName = "pythons-missing.tsv";

    /// <summary>The cache folder: $PYROMETER_CACHE, else ${XDG_CACHE_HOME:-$HOME/.cache}/pyrometer.</summary>
    public static string CacheDirectory
    {
        get
        {
            if (Environment.GetEnvironmentVariable("PYROMETER_CACHE") is { Length: > 0 } cache)
            {
                return cache;
            }
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            var home = Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } h ? h : "/root";
            return System.IO.Path.Combine(xdg is { Length: > 0 } ? xdg : System.IO.Path.Combine(home, ".cache"), "pyrometer");
        }
    }

    /// <summary>Parses pythons.tsv; <paramref name="source"/> names the file in error messages.</summary>
    public static IReadOnlyList<TestPython> ParseInstalled(string text, string source)
    {
        var result = new List<TestPython>();
        foreach (var (number, fields) in Rows(text, source))
        {
            var version = fields[0];
            var path = fields[1];
            if (!IsVersion(version))
            {
                throw new FormatException($"{source}:{number}: '{version}' is not a Python version (expected e.g. 3.11.2).");
            }
            if (!System.IO.Path.IsPathFullyQualified(path))
            {
                throw new FormatException($"{source}:{number}: the interpreter path '{path}' is not absolute.");
            }
            result.Add(new TestPython(path, version, fields[2]));
        }
        return result;
    }

    /// <summary>Parses pythons-missing.tsv into skipped interpreters carrying their reasons.</summary>
    public static IReadOnlyList<TestPython> ParseMissing(string text, string source)
    {
        var result = new List<TestPython>();
        foreach (var (number, fields) in Rows(text, source))
        {
            if (fields[2].Length == 0)
            {
                throw new FormatException($"{source}:{number}: the reason for missing {fields[0]} ({fields[1]}) is empty.");
            }
            result.Add(new TestPython("", fields[0], fields[1], $"CPython {fields[0]} ({fields[1]}) is not installed: {fields[2]}"));
        }
        return result;
    }

    private static IEnumerable<(int Number, string[] Fields)> Rows(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            // The reason (third field) may itself contain tabs; only the first two separate fields.
            var fields = line.Split('\t', 3);
            if (fields.Length != 3 || fields.Any(f => f.Length == 0))
            {
                throw new FormatException($"{source}:{i + 1}: expected three tab-separated fields, got '{line}'.");
            }
            yield return (i + 1, fields);
        }
    }

    private static bool IsVersion(string text)
    {
        var parts = text.Split('.');
        return parts.Length == 3
            && parts[0].Length > 0 && parts[0].All(char.IsAsciiDigit)
            && parts[1].Length > 0 && parts[1].All(char.IsAsciiDigit)
            && parts[2].Length > 0 && char.IsAsciiDigit(parts[2][0]) && parts[2].All(char.IsAsciiLetterOrDigit)
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out _);
    }
}
