using Pyrometer.Sampling.Python;

namespace Pyrometer.Sampling.Tests.Fakes;

/// <summary>Encodes "line of each code unit" (0 = no line) in a version's line-table format, for synthetic code objects.</summary>
internal static class LineTableEncoder
{
    public static byte[] Encode(LineTableFormat format, int firstLine, IReadOnlyList<int> lines) => format switch
    {
        LineTableFormat.Lnotab => Lnotab(firstLine, lines),
        LineTableFormat.LineTable310 => LineTable310(firstLine, lines),
        _ => Locations(firstLine, lines),
    };

    private static IEnumerable<(int Start, int Length, int Line)> Runs(IReadOnlyList<int> lines, int maxLength)
    {
        var start = 0;
        while (start < lines.Count)
        {
            var end = start + 1;
            while (end < lines.Count && lines[end] == lines[start] && end - start < maxLength)
            {
                end++;
            }
            yield return (start, end - start, lines[start]);
            start = end;
        }
    }

    private static byte[] Locations(int firstLine, IReadOnlyList<int> lines)
    {
        var output = new List<byte>();
        var previous = firstLine;
        foreach (var (_, length, line) in Runs(lines, 8))
        {
            if (line == 0)
            {
                output.Add((byte)(0x80 | (15 << 3) | (length - 1)));
                continue;
            }
            output.Add((byte)(0x80 | (13 << 3) | (length - 1)));
            var delta = line - previous;
            var value = delta < 0 ? ((uint)-delta << 1) | 1 : (uint)delta << 1;
            while (value >= 64)
            {
                output.Add((byte)(64 | (value & 63)));
                value >>= 6;
            }
            output.Add((byte)value);
            previous = line;
        }
        return [.. output];
    }

    private static byte[] LineTable310(int firstLine, IReadOnlyList<int> lines)
    {
        var output = new List<byte>();
        var previous = firstLine;
        foreach (var (_, length, line) in Runs(lines, 127))
        {
            if (line == 0)
            {
                output.AddRange([(byte)(length * 2), unchecked((byte)-128)]);
                continue;
            }
            var delta = line - previous;
            while (delta is > 127 or < -127)
            {
                var step = delta > 0 ? 127 : -127;
                output.AddRange([0, unchecked((byte)(sbyte)step)]);
                delta -= step;
            }
            output.AddRange([(byte)(length * 2), unchecked((byte)(sbyte)delta)]);
            previous = line;
        }
        return [.. output];
    }

    // Byte addresses: code unit u covers bytes 2u and 2u+1.
    private static byte[] Lnotab(int firstLine, IReadOnlyList<int> lines)
    {
        var output = new List<byte>();
        var address = 0;
        var previous = firstLine;
        foreach (var (start, _, line) in Runs(lines, int.MaxValue))
        {
            var advance = start * 2 - address;
            while (advance > 255)
            {
                output.AddRange([255, 0]);
                advance -= 255;
            }
            var delta = line - previous;
            var step = Math.Clamp(delta, -128, 127);
            output.AddRange([(byte)advance, unchecked((byte)(sbyte)step)]);
            delta -= step;
            while (delta != 0)
            {
                step = Math.Clamp(delta, -128, 127);
                output.AddRange([0, unchecked((byte)(sbyte)step)]);
                delta -= step;
            }
            address = start * 2;
            previous = line;
        }
        return [.. output];
    }
}
