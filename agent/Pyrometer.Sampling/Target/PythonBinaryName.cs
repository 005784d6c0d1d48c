using System.Globalization;
using System.Text.RegularExpressions;

namespace Pyrometer.Sampling.Target;

/// <summary>
/// What a file name says about a CPython binary: <c>libpython3.12.so.1.0</c>, <c>libpython3.13t.so</c>,
/// <c>libpython3.7m.so</c>, <c>python3.11</c>, <c>python3.12d</c>.
/// </summary>
/// <param name="IsLibrary">A <c>libpython</c> shared object rather than an executable.</param>
/// <param name="Major">Major version.</param>
/// <param name="Minor">Minor version, or null for a bare <c>python3</c>.</param>
/// <param name="AbiFlags">ABI flags after the version: <c>t</c> free-threaded, <c>d</c> debug, <c>m</c> pymalloc (≤3.7).</param>
internal sealed partial record PythonBinaryName(bool IsLibrary, int Major, int? Minor, string AbiFlags)
{
    public bool IsDebug => AbiFlags.Contains('d', StringComparison.Ordinal);

    public bool IsFreeThreaded => AbiFlags.Contains('t', StringComparison.Ordinal);

    /// <summary>Parses a file name (not a path); null when it does not name a CPython binary.</summary>
    public static PythonBinaryName? TryParse(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        var library = LibraryPattern().Match(fileName);
        if (library.Success)
        {
            return Create(true, library);
        }
        var executable = ExecutablePattern().Match(fileName);
        return executable.Success ? Create(false, executable) : null;
    }

    public override string ToString()
    {
        var version = Minor is { } minor
            ? string.Create(CultureInfo.InvariantCulture, $"{Major}.{minor}")
            : Major.ToString(CultureInfo.InvariantCulture);
        return (IsLibrary ? "libpython" : "python") + version + AbiFlags;
    }

    private static PythonBinaryName Create(bool isLibrary, Match match) => new(
        isLibrary,
        int.Parse(match.Groups["major"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture),
        match.Groups["minor"].Success ? int.Parse(match.Groups["minor"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture) : null,
        match.Groups["flags"].Value);

    // libpython3.X[flags].so, optionally versioned (.so.1.0); py-spy's pattern misses the free-threaded 't'.
    [GeneratedRegex(@"^libpython(?<major>\d)\.(?<minor>\d{1,2})(?<flags>[dmtu]{0,3})\.so(\.\d+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex LibraryPattern();

    [GeneratedRegex(@"^python(?<major>\d)(\.(?<minor>\d{1,2})(?<flags>[dmtu]{0,3}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex ExecutablePattern();
}
