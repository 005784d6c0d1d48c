using System.Globalization;
using System.Text;
using Pyrometer.Sampling.Python.Objects;

namespace Pyrometer.Sampling.Python.Introspection;

/// <summary>
/// Shows a target's object the way Python's repr would for simple values: small int, bool, float,
/// str (cut at <see cref="MaxStringChars"/>, escaped), bytes (their length) and None; anything else
/// as <c>&lt;TYPE object at 0x…&gt;</c>. Everything shown came from the target: control characters
/// never reach the output unescaped.
/// </summary>
internal sealed class ValueFormatter(ObjectReader objects)
{
    public const int MaxStringChars = 128;

    public const string Unavailable = "(unavailable)";

    public string Format(ulong obj)
    {
        var type = objects.TypeName(obj);
        switch (type)
        {
            case null:
                return Unavailable;
            case "NoneType":
                return "None";
            case "bool" when objects.TryReadInt(obj, out var flag):
                return flag != 0 ? "True" : "False";
            case "int" when objects.TryReadInt(obj, out var number):
                return number.ToString(CultureInfo.InvariantCulture);
            case "float" when objects.TryReadFloat(obj, out var real):
                return Float(real);
            case "str" when objects.TryReadString(obj, MaxStringChars, out var text, out var length):
                return Quote(text) + (length > MaxStringChars ? string.Create(CultureInfo.InvariantCulture, $"... ({length} characters)") : "");
            case "bytes" when objects.TryReadBytesLength(obj, out var size):
                return string.Create(CultureInfo.InvariantCulture, $"<bytes of length {size}>");
            default:
                return string.Create(CultureInfo.InvariantCulture, $"<{type} object at 0x{obj:x}>");
        }
    }

    /// <summary>Python's float repr for the usual cases: always a point or an exponent.</summary>
    public static string Float(double value)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }
        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }
        var text = value.ToString("R", CultureInfo.InvariantCulture).Replace('E', 'e');
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('e', StringComparison.Ordinal) ? text : text + ".0";
    }

    /// <summary>A quoted literal with backslashes, the quote and control characters escaped; quotes chosen as Python's repr does.</summary>
    public static string Quote(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var quote = text.Contains('\'', StringComparison.Ordinal) && !text.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        var builder = new StringBuilder(text.Length + 2).Append(quote);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '\\':
                    builder.Append(@"\\");
                    break;
                case var _ when c == quote:
                    builder.Append('\\').Append(c);
                    break;
                case '\n':
                    builder.Append(@"\n");
                    break;
                case '\r':
                    builder.Append(@"\r");
                    break;
                case '\t':
                    builder.Append(@"\t");
                    break;
                case var _ when char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]):
                    builder.Append(c).Append(text[++i]);
                    break;
                case var _ when char.IsControl(c) || char.IsSurrogate(c):
                    builder.Append(c <= 0xff ? string.Create(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}") : string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"));
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }
        return builder.Append(quote).ToString();
    }

    /// <summary>The text with every control character replaced by '?', for names shown on one line.</summary>
    public static string Printable(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Any(char.IsControl))
        {
            return text;
        }
        return string.Concat(text.Select(c => char.IsControl(c) ? '?' : c));
    }
}
