using System.Globalization;
using Pyrometer.Rendering.Model;

namespace Pyrometer.Rendering.Folded;

/// <summary>Turns one folded-stack element back into a <see cref="Frame"/>; the inverse of <see cref="Frame.Text"/>.</summary>
internal static class FrameTextParser
{
    /// <summary>
    /// Parses <paramref name="text"/> found at <paramref name="depth"/>. <c>pid N …</c> is a process only at
    /// the root and <c>thread N …</c> a thread only at the root or below a process; anything else is Python:
    /// <c>function (file:line)</c>, <c>function (file)</c> or a bare <c>function</c>.
    /// </summary>
    public static Frame Parse(ReadOnlySpan<char> text, int depth, bool parentIsProcess)
    {
        if (depth == 0 && TryParsePseudo(text, "pid ", out var pid, out var command) && pid is > 0 and <= int.MaxValue)
        {
            return Frame.Process((int)pid, command);
        }
        if ((depth == 0 || (depth == 1 && parentIsProcess)) && TryParsePseudo(text, "thread ", out var tid, out var name))
        {
            return Frame.Thread(tid, name);
        }
        return ParsePython(text);
    }

    private static Frame ParsePython(ReadOnlySpan<char> text)
    {
        if (text.Length > 3 && text[^1] == ')')
        {
            // Python names never contain " (" but paths may, so the first one ends the function name.
            var open = text.IndexOf(" (");
            if (open > 0)
            {
                var function = text[..open];
                var location = text[(open + 2)..^1];
                var colon = location.LastIndexOf(':');
                if (colon > 0 && int.TryParse(location[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var line) && line > 0)
                {
                    return Frame.Python(function.ToString(), location[..colon].ToString(), line);
                }
                if (location.Length > 0)
                {
                    return Frame.Python(function.ToString(), location.ToString(), 0);
                }
            }
        }
        return Frame.Python(text.ToString(), "", 0);
    }

    private static bool TryParsePseudo(ReadOnlySpan<char> text, string prefix, out long number, out string name)
    {
        number = 0;
        name = "";
        if (!text.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }
        var rest = text[prefix.Length..];
        var space = rest.IndexOf(' ');
        var digits = space < 0 ? rest : rest[..space];
        // "pid 0123" would not come back as the same text, so leading zeros mean it is not ours.
        if (digits.Length == 0 || (digits.Length > 1 && digits[0] == '0')
            || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out number))
        {
            return false;
        }
        name = space < 0 ? "" : rest[(space + 1)..].ToString();
        return space < 0 || name.Length > 0;
    }
}
