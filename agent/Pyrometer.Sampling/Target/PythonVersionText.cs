using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Pyrometer.Sampling.Python;

namespace Pyrometer.Sampling.Target;

/// <summary>
/// Reads a version out of <c>sys.version</c> text, e.g. <c>3.10.13 (main, Nov 21 2026, 06:00:00) [GCC 12.2.0]</c>.
/// Up to 3.10 that text is the only version the interpreter keeps: <c>Py_GetVersion</c> formats it once
/// into a static 250-byte buffer in <c>.bss</c> (symbol <c>version</c>, local), at start-up.
/// </summary>
internal static partial class PythonVersionText
{
    /// <summary>Parses text that starts with a version followed by " (".</summary>
    public static bool TryParse(string text, out PythonVersion version)
    {
        ArgumentNullException.ThrowIfNull(text);
        var match = VersionPattern().Match(text);
        if (!match.Success || match.Index != 0)
        {
            version = default;
            return false;
        }
        version = FromMatch(match);
        return true;
    }

    /// <summary>
    /// Finds the first version text in raw memory that starts a NUL-separated string, optionally only
    /// for the given minor version (as known from the file name).
    /// </summary>
    public static bool TryFind(ReadOnlySpan<byte> memory, int? minor, out PythonVersion version)
    {
        // Latin-1 maps bytes 1:1 to chars, so match offsets are byte offsets and no byte is rejected.
        var text = Encoding.Latin1.GetString(memory);
        foreach (Match match in VersionPattern().Matches(text))
        {
            var startsString = match.Index == 0 || text[match.Index - 1] == '\0';
            var candidate = FromMatch(match);
            if (startsString && (minor is null || candidate.Minor == minor))
            {
                version = candidate;
                return true;
            }
        }
        version = default;
        return false;
    }

    private static PythonVersion FromMatch(Match match)
    {
        var minor = int.Parse(match.Groups["minor"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
        var micro = int.Parse(match.Groups["micro"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
        var level = match.Groups["level"].Value switch
        {
            "a" => 0xA,
            "b" => 0xB,
            "rc" => 0xC,
            _ => PythonVersion.Final,
        };
        var serial = match.Groups["serial"].Success
            ? int.Parse(match.Groups["serial"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture)
            : 0;
        return new PythonVersion(3, minor, micro, level, serial);
    }

    // PY_VERSION then " (" and the build info: "3.9.18 (main", "3.11.0a7+ (heads/main", "3.10.0rc2 (default".
    [GeneratedRegex(@"3\.(?<minor>\d{1,2})\.(?<micro>\d{1,2})(?:(?<level>a|b|rc)(?<serial>\d{1,2}))?\+? \(", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();
}
