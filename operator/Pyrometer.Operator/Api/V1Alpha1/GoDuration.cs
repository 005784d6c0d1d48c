using System.Globalization;

namespace Pyrometer.Operator.Api.V1Alpha1;

/// <summary>Parses Go-style durations as in <c>spec.duration</c>: <c>30s</c>, <c>5m</c>, <c>1h30m</c>, <c>1.5s</c>, <c>250ms</c>.</summary>
internal static class GoDuration
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text) || text.Length > 32)
        {
            return false;
        }
        var total = 0.0;
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
            {
                i++;
            }
            if (i == start || !double.TryParse(text.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }
            double unit;
            if (text.AsSpan(i).StartsWith("ms", StringComparison.Ordinal))
            {
                unit = 0.001;
                i += 2;
            }
            else if (i < text.Length && text[i] is 's' or 'm' or 'h')
            {
                unit = text[i] switch { 's' => 1, 'm' => 60, _ => 3600 };
                i++;
            }
            else
            {
                return false;   // Go requires a unit on every number ("30" is not a duration)
            }
            total += value * unit;
        }
        if (total > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            return false;
        }
        duration = TimeSpan.FromSeconds(total);
        return true;
    }

    /// <summary>Formats whole seconds as Go would print them in a spec: <c>30s</c>, <c>5m</c>, <c>1h30m</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        var seconds = (long)Math.Round(duration.TotalSeconds);
        if (seconds == 0)
        {
            return "0s";
        }
        var text = "";
        if (seconds >= 3600)
        {
            text += (seconds / 3600).ToString(CultureInfo.InvariantCulture) + "h";
            seconds %= 3600;
        }
        if (seconds >= 60)
        {
            text += (seconds / 60).ToString(CultureInfo.InvariantCulture) + "m";
            seconds %= 60;
        }
        if (seconds > 0)
        {
            text += seconds.ToString(CultureInfo.InvariantCulture) + "s";
        }
        return text;
    }
}
