using System.Globalization;
using System.Text.RegularExpressions;

namespace Pyrometer.Kubectl.Cli;

/// <summary>Go-style durations as the CRD takes them (<c>30s</c>, <c>1m30s</c>, <c>500ms</c>); a bare number means seconds.</summary>
internal static partial class GoDuration
{
    public static readonly TimeSpan Minimum = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Maximum = TimeSpan.FromHours(1);

    /// <summary>The duration and its canonical text for spec.duration, or an error message.</summary>
    public static bool TryParse(string? text, out TimeSpan duration, out string canonical, out string error)
    {
        duration = TimeSpan.Zero;
        canonical = "";
        error = "";
        if (string.IsNullOrWhiteSpace(text) || text.Length > 32)
        {
            error = $"bad duration '{Shown(text)}': write e.g. 30s, 2m or 1m30s";
            return false;
        }
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            text = seconds.ToString(CultureInfo.InvariantCulture) + "s";
        }
        var match = Pattern().Match(text);
        if (!match.Success)
        {
            error = $"bad duration '{Shown(text)}': write e.g. 30s, 2m or 1m30s (units ms, s, m, h)";
            return false;
        }
        double total = 0;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unit = part.Value.TrimStart("0123456789.".ToCharArray());
            var number = double.Parse(part.Value[..^unit.Length], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            total += number * unit switch { "ms" => 0.001, "s" => 1, "m" => 60, _ => 3600 };
        }
        if (total < Minimum.TotalSeconds || total > Maximum.TotalSeconds)
        {
            error = $"duration '{text}' is out of range: between 1s and 1h";
            return false;
        }
        duration = TimeSpan.FromSeconds(total);
        canonical = text;
        return true;
    }

    // Echoing a hostile argument is fine on a terminal only once control characters are gone.
    private static string Shown(string? text) => text is null ? "" : new string([.. text.Take(40).Select(c => char.IsControl(c) ? '?' : c)]);

    [GeneratedRegex("^(?<part>[0-9]{1,9}(\\.[0-9]{1,6})?(ms|s|m|h))+$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
