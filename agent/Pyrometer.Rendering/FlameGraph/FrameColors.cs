namespace Pyrometer.Rendering.FlameGraph;

/// <summary>
/// Colours that stay the same for the same code in every profile: a stable hash (FNV-1a, never
/// string.GetHashCode, which is randomised per process) of the package a file belongs to.
/// </summary>
internal static class FrameColors
{
    public const string Root = "rgb(200,200,200)";
    public const string Process = "rgb(170,190,220)";
    public const string Thread = "rgb(190,210,230)";
    public const string Merged = "rgb(215,215,215)";
    public const string Neutral = "rgb(224,224,224)";

    /// <summary>A warm colour for a Python frame, chosen by the package of <paramref name="file"/>.</summary>
    public static string ForFile(string file)
    {
        var hash = Fnv1a(PackageOf(file));
        var red = 205 + (int)(hash % 51);
        var green = (int)((hash >> 8) % 200);
        var blue = (int)((hash >> 16) % 56);
        return Rgb(red, green, blue);
    }

    /// <summary>
    /// The package a file belongs to: the top-level package under site-packages or dist-packages, the
    /// module under the standard library, else the file's directory (or the file itself at the top).
    /// </summary>
    public static string PackageOf(string file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var path = file.Replace('\\', '/');
        if (path.StartsWith('<'))
        {
            return path;   // <frozen importlib._bootstrap>, <string>: synthetic files name themselves
        }
        foreach (var marker in (ReadOnlySpan<string>)["/site-packages/", "/dist-packages/"])
        {
            var at = path.LastIndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                return Stem(FirstSegment(path[(at + marker.Length)..]));
            }
        }
        var lib = path.LastIndexOf("/lib/python", StringComparison.Ordinal);
        if (lib >= 0)
        {
            var rest = path[(lib + 1)..];
            var slash = rest.IndexOf('/', "lib/".Length);
            if (slash > 0)
            {
                return Stem(FirstSegment(rest[(slash + 1)..]));
            }
        }
        var last = path.LastIndexOf('/');
        if (last <= 0)
        {
            return Stem(path);
        }
        var parent = path[..last];
        return parent[(parent.LastIndexOf('/') + 1)..];
    }

    /// <summary>
    /// Differential colour: neutral grey when the share did not change, towards red when it grew and blue
    /// when it shrank; <paramref name="intensity"/> is the size of the change relative to the largest, 0 to 1.
    /// </summary>
    public static string ForChange(double delta, double intensity)
    {
        if (delta == 0 || !double.IsFinite(intensity) || intensity <= 0)
        {
            return Neutral;
        }
        // A change of any size stays visibly tinted, so "changed a little" never reads as "unchanged".
        var k = 0.15 + (0.85 * Math.Min(1, intensity));
        return delta > 0
            ? Rgb(Mix(224, 220, k), Mix(224, 30, k), Mix(224, 30, k))
            : Rgb(Mix(224, 40, k), Mix(224, 90, k), Mix(224, 220, k));
    }

    private static int Mix(int from, int to, double k) => (int)Math.Round(from + ((to - from) * k), MidpointRounding.AwayFromZero);

    private static string Rgb(int red, int green, int blue) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"rgb({red},{green},{blue})");

    private static string FirstSegment(string path)
    {
        var slash = path.IndexOf('/');
        return slash < 0 ? path : path[..slash];
    }

    private static string Stem(string name) => name.EndsWith(".py", StringComparison.Ordinal) ? name[..^3] : name;

    private static uint Fnv1a(string text)
    {
        var hash = 2166136261u;
        Span<byte> buffer = stackalloc byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            var length = rune.EncodeToUtf8(buffer);
            for (var i = 0; i < length; i++)
            {
                hash = (hash ^ buffer[i]) * 16777619u;
            }
        }
        return hash;
    }
}
