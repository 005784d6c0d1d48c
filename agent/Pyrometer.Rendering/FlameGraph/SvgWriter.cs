using System.Globalization;
using System.Text;

namespace Pyrometer.Rendering.FlameGraph;

/// <summary>A thin writer for SVG text: escaping, invariant numbers with at most two decimals, '\n' line ends.</summary>
internal sealed class SvgWriter : IDisposable
{
    private readonly StreamWriter _writer;
    private readonly char[] _number = new char[32];

    public SvgWriter(Stream output)
    {
        _writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
    }

    public void Raw(string text) => _writer.Write(text);

    public void Raw(char c) => _writer.Write(c);

    public void Line(string text)
    {
        _writer.Write(text);
        _writer.Write('\n');
    }

    public void Number(double value)
    {
        // Rounding first keeps "-0" and "1E-05" out of attributes.
        var rounded = Math.Round(value, 2, MidpointRounding.AwayFromZero);
        if (rounded == 0)
        {
            rounded = 0;
        }
        rounded.TryFormat(_number, out var written, "0.##", CultureInfo.InvariantCulture);
        _writer.Write(_number, 0, written);
    }

    public void Number(long value)
    {
        value.TryFormat(_number, out var written, default, CultureInfo.InvariantCulture);
        _writer.Write(_number, 0, written);
    }

    /// <summary>Writes text escaped for element content and attribute values alike.</summary>
    public void Escaped(ReadOnlySpan<char> text)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var replacement = text[i] switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                // XML 1.0 forbids most control characters even as references; show them as '?'.
                < ' ' and not '\t' and not '\n' => "?",
                _ => null,
            };
            if (replacement is not null)
            {
                _writer.Write(text[start..i]);
                _writer.Write(replacement);
                start = i + 1;
            }
        }
        _writer.Write(text[start..]);
    }

    public void Dispose() => _writer.Dispose();
}
