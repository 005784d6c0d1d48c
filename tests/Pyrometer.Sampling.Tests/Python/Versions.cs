using System.Globalization;
using Pyrometer.Sampling.Python;

namespace Pyrometer.Sampling.Tests.Python;

/// <summary>Parses "3.12.1", "3.15.0a2" or "3.14.10t" into a <see cref="PythonVersion"/>.</summary>
internal static class Versions
{
    public static PythonVersion Parse(string text)
    {
        var freeThreaded = text.EndsWith('t');
        var core = freeThreaded ? text[..^1] : text;
        var level = PythonVersion.Final;
        var serial = 0;
        foreach (var (marker, value) in new[] { ("rc", 0xC), ("a", 0xA), ("b", 0xB) })
        {
            var at = core.IndexOf(marker, StringComparison.Ordinal);
            if (at > 0)
            {
                level = value;
                serial = int.Parse(core[(at + marker.Length)..], CultureInfo.InvariantCulture);
                core = core[..at];
                break;
            }
        }
        var parts = core.Split('.').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        return new PythonVersion(parts[0], parts[1], parts[2], level, serial, freeThreaded);
    }
}
