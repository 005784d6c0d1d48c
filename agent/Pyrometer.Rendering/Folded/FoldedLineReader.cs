using System.Globalization;
using Pyrometer.Rendering.Formats;

namespace Pyrometer.Rendering.Folded;

/// <summary>
/// The one parser of folded text (<c>frame;frame;frame COUNT</c> per line), for every reader of it: lines end
/// at <c>\n</c>, <c>\r\n</c> or <c>\r</c>; trailing white space is ignored and blank lines skipped; the count
/// is the text after the last space, a whole number from 1 to <see cref="long.MaxValue"/>; no frame is empty.
/// Line length, line count and depth are capped (<see cref="FoldedLimits"/>) before a line is kept in memory.
/// Every problem is a <see cref="ProfileFormatException"/> that names the line.
/// </summary>
public sealed class FoldedLineReader
{
    private readonly TextReader _reader;
    private readonly FoldedLimits _limits;
    private readonly char[] _buffer = new char[1 << 14];
    private int _start;
    private int _end;
    private bool _skipLineFeed;
    private bool _atEnd;
    private char[] _line = new char[256];
    private int _lineLength;
    private int _number;

    /// <summary>Reads lines from <paramref name="reader"/>, which stays open.</summary>
    /// <param name="reader">The folded text.</param>
    /// <param name="limits">Caps; <see cref="FoldedLimits.Default"/> when null.</param>
    public FoldedLineReader(TextReader reader, FoldedLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _reader = reader;
        _limits = limits ?? FoldedLimits.Default;
    }

    /// <summary>Reads the next line that holds a stack; false at the end of the input.</summary>
    public bool TryRead(out FoldedLine line)
    {
        while (true)
        {
            while (!TryTakeLine())
            {
                if (_atEnd)
                {
                    line = default;
                    return false;
                }
                Filled(_reader.Read(_buffer));
            }
            if (TryParseTaken(out line))
            {
                return true;
            }
        }
    }

    /// <summary>Reads the next line that holds a stack; null at the end of the input.</summary>
    public async ValueTask<FoldedLine?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            while (!TryTakeLine())
            {
                if (_atEnd)
                {
                    return null;
                }
                Filled(await _reader.ReadAsync(_buffer.AsMemory(), cancellationToken).ConfigureAwait(false));
            }
            if (TryParseTaken(out var line))
            {
                return line;
            }
        }
    }

    private void Filled(int read)
    {
        _start = 0;
        _end = read;
        _atEnd = read == 0;
    }

    /// <summary>Moves buffered text into the line until a line break; true when a whole line (or the last one) is taken.</summary>
    private bool TryTakeLine()
    {
        if (_skipLineFeed && _start < _end)
        {
            _skipLineFeed = false;
            if (_buffer[_start] == '\n')
            {
                _start++;
            }
        }
        if (_start == _end)
        {
            // At the end, text after the last line break is a line of its own.
            return _atEnd && _lineLength > 0;
        }
        var pending = _buffer.AsSpan(_start, _end - _start);
        var stop = pending.IndexOfAny('\r', '\n');
        Append(stop < 0 ? pending : pending[..stop]);
        if (stop < 0)
        {
            _start = _end;
            return false;
        }
        _skipLineFeed = pending[stop] == '\r';
        _start += stop + 1;
        return true;
    }

    private void Append(ReadOnlySpan<char> text)
    {
        if (_lineLength + text.Length > _limits.MaxLineLength)
        {
            throw Problem(_number + 1, string.Create(CultureInfo.InvariantCulture, $"longer than {_limits.MaxLineLength} characters"));
        }
        if (_lineLength + text.Length > _line.Length)
        {
            Array.Resize(ref _line, Math.Min(_limits.MaxLineLength, Math.Max(_line.Length * 2, _lineLength + text.Length)));
        }
        text.CopyTo(_line.AsSpan(_lineLength));
        _lineLength += text.Length;
    }

    /// <summary>Parses the line taken and clears it; false for a blank line.</summary>
    private bool TryParseTaken(out FoldedLine line)
    {
        var number = ++_number;
        if (number > _limits.MaxLines)
        {
            throw Problem(number, string.Create(CultureInfo.InvariantCulture, $"the input has more than {_limits.MaxLines} lines"));
        }
        var raw = _line.AsSpan(0, _lineLength);
        _lineLength = 0;
        var text = raw.TrimEnd();
        line = default;
        if (text.IsEmpty)
        {
            return false;
        }
        var space = text.LastIndexOf(' ');
        if (space <= 0)
        {
            throw Problem(number, $"expected '<frame;frame;…> <count>', found '{Shorten(text)}'");
        }
        var countText = text[(space + 1)..];
        if (!long.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count <= 0)
        {
            throw Problem(number, string.Create(CultureInfo.InvariantCulture, $"the count '{Shorten(countText)}' is not a positive whole number (at most {long.MaxValue})"));
        }
        var stack = text[..space];
        var depth = 0;
        foreach (var range in stack.Split(';'))
        {
            depth++;
            if (range.Start.Equals(range.End))
            {
                throw Problem(number, string.Create(CultureInfo.InvariantCulture, $"frame {depth} is empty"));
            }
            if (depth > _limits.MaxDepth)
            {
                throw Problem(number, string.Create(CultureInfo.InvariantCulture, $"the stack is deeper than {_limits.MaxDepth} frames"));
            }
        }
        line = new FoldedLine(number, stack.ToString(), count);
        return true;
    }

    /// <summary>
    /// <paramref name="total"/> plus the line's count. Counts are summed by every reader (per stack, over the
    /// profile), and a sum past <see cref="long.MaxValue"/> is refused the same way everywhere.
    /// </summary>
    public static long AddCount(long total, FoldedLine line) =>
        total <= long.MaxValue - line.Count
            ? total + line.Count
            : throw Problem(line.Number, string.Create(CultureInfo.InvariantCulture, $"the samples add up to more than {long.MaxValue}"));

    /// <summary>The error for <paramref name="number"/>; <see cref="FoldedLine.Number"/> of a line read names it the same way.</summary>
    internal static ProfileFormatException Problem(int number, string what) =>
        new(string.Create(CultureInfo.InvariantCulture, $"Folded line {number}: {what}."));

    private static string Shorten(ReadOnlySpan<char> text) => text.Length <= 80 ? text.ToString() : string.Concat(text[..77], "...");
}
