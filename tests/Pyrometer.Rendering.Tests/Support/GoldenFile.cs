using System.Text;
using Xunit.Sdk;

namespace Pyrometer.Rendering.Tests.Support;

/// <summary>
/// Compares output with a checked-in file under Golden/&lt;case&gt;/. With PYROMETER_UPDATE_GOLDEN=1 the file is
/// rewritten instead; a mismatch names the golden path and the first line that differs.
/// </summary>
internal static class GoldenFile
{
    public static bool Updating => Environment.GetEnvironmentVariable("PYROMETER_UPDATE_GOLDEN") == "1";

    public static void AssertMatches(string caseName, string fileName, string actual)
    {
        var path = Path.Combine(TestPaths.Golden(caseName), fileName);
        if (Updating)
        {
            File.WriteAllText(path, actual, new UTF8Encoding(false));
            return;
        }
        if (!File.Exists(path))
        {
            throw new XunitException($"Golden file {path} is missing; run the tests with PYROMETER_UPDATE_GOLDEN=1 to create it.");
        }
        var difference = FirstDifference(File.ReadAllText(path), actual);
        if (difference is not null)
        {
            throw new XunitException($"Output differs from golden file {path} {difference}. If the change is intended, rerun with PYROMETER_UPDATE_GOLDEN=1.");
        }
    }

    /// <summary>Null when equal; else "at line N: expected …, actual …".</summary>
    public static string? FirstDifference(string expected, string actual)
    {
        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        for (var i = 0; i < Math.Max(expectedLines.Length, actualLines.Length); i++)
        {
            var e = i < expectedLines.Length ? expectedLines[i] : "<end of file>";
            var a = i < actualLines.Length ? actualLines[i] : "<end of file>";
            if (!string.Equals(e, a, StringComparison.Ordinal))
            {
                return $"at line {i + 1}:\n  expected: {e}\n  actual:   {a}";
            }
        }
        return null;
    }
}
