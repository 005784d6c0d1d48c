namespace Pyrometer.Sampling.Python;

/// <summary>
/// A decoded line table: sorted, non-overlapping instruction ranges with their line (0 = no line).
/// Indices are in the unit the version's frames use (bytes for lnotab, code units otherwise), so a
/// lookup is one binary search. Decoding is bounded: malformed tables yield null, never throw.
/// </summary>
internal sealed class LineTable
{
    /// <summary>At most this many entries are decoded (garbage protection; real tables are far smaller).</summary>
    public const int MaxEntries = 1 << 18;

    private readonly int[] _starts;
    private readonly int[] _ends;
    private readonly int[] _lines;

    private LineTable(int firstLine, int[] starts, int[] ends, int[] lines)
    {
        FirstLine = firstLine;
        _starts = starts;
        _ends = ends;
        _lines = lines;
    }

    public int FirstLine { get; }

    /// <summary>How many ranges the table holds.</summary>
    public int Count => _starts.Length;

    /// <summary>Bytes of the decoded arrays (three ints a range).</summary>
    public long MemoryBytes => 12L * _starts.Length;

    /// <summary>One past the last instruction index the table covers.</summary>
    public int End => _ends.Length == 0 ? 0 : _ends[^1];

    /// <summary>The line of instruction <paramref name="index"/>; -1 ("not started") gives the first line; 0 when none.</summary>
    public int LineAt(int index)
    {
        if (index < 0)
        {
            return FirstLine;
        }
        var lo = 0;
        var hi = _starts.Length - 1;
        var found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_starts[mid] <= index)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return found >= 0 && index < _ends[found] ? _lines[found] : 0;
    }

    public static LineTable? Decode(LineTableFormat format, ReadOnlySpan<byte> table, int firstLine) => format switch
    {
        LineTableFormat.Lnotab => DecodeLnotab(table, firstLine),
        LineTableFormat.LineTable310 => DecodeLineTable310(table, firstLine),
        LineTableFormat.Locations => DecodeLocations(table, firstLine),
        _ => null,
    };

    // 3.8/3.9: line increments are applied once the address passes their (cumulative) offset; the
    // last range is open-ended because lnotab does not record the bytecode length.
    private static LineTable? DecodeLnotab(ReadOnlySpan<byte> table, int firstLine)
    {
        var builder = Builder.Start();
        long line = firstLine;
        var address = 0;
        for (var i = 0; i + 1 < table.Length; i += 2)
        {
            var next = address + table[i];
            if (next != address)
            {
                if (!builder.Add(address, next, line))
                {
                    return null;
                }
                address = next;
            }
            line += (sbyte)table[i + 1];
        }
        return builder.Add(address, int.MaxValue, line) ? builder.Build(firstLine) : null;
    }

    // 3.10 (PEP 626): (byte length, signed line delta); -128 = "no line" but the address still advances.
    private static LineTable? DecodeLineTable310(ReadOnlySpan<byte> table, int firstLine)
    {
        var builder = Builder.Start();
        long line = firstLine;
        var address = 0;
        for (var i = 0; i + 1 < table.Length; i += 2)
        {
            var length = table[i];
            var delta = (sbyte)table[i + 1];
            if (delta != -128)
            {
                line += delta;
            }
            if (length > 0)
            {
                // Ranges are in bytes; frames give code units, so store both ends halved.
                if (!builder.Add(address / 2, (address + length) / 2, delta == -128 ? 0 : line))
                {
                    return null;
                }
            }
            address += length;
        }
        return builder.Build(firstLine);
    }

    // 3.11+: entries start with a byte 1cccclll (code c, length l+1 code units), then varints.
    private static LineTable? DecodeLocations(ReadOnlySpan<byte> table, int firstLine)
    {
        var builder = Builder.Start();
        long line = firstLine;
        var address = 0;
        var position = 0;
        while (position < table.Length)
        {
            var first = table[position++];
            if ((first & 0x80) == 0)
            {
                return null;                         // not an entry start: the table is corrupt
            }
            var code = (first >> 3) & 15;
            var length = (first & 7) + 1;
            var hasLine = true;
            switch (code)
            {
                case 15:                             // no location
                    hasLine = false;
                    break;
                case 14:                             // long form: line delta, end line, column, end column
                    if (!ReadSigned(table, ref position, out var longDelta)
                        || !ReadUnsigned(table, ref position, out _) || !ReadUnsigned(table, ref position, out _)
                        || !ReadUnsigned(table, ref position, out _))
                    {
                        return null;
                    }
                    line += longDelta;
                    break;
                case 13:                             // no columns: line delta only
                    if (!ReadSigned(table, ref position, out var delta))
                    {
                        return null;
                    }
                    line += delta;
                    break;
                case 10 or 11 or 12:                 // one line form: line += code - 10, two column bytes
                    line += code - 10;
                    position += 2;
                    break;
                default:                             // short forms 0-9: same line, one column byte
                    position += 1;
                    break;
            }
            if (position > table.Length)
            {
                return null;
            }
            if (!builder.Add(address, address + length, hasLine ? line : 0))
            {
                return null;
            }
            address += length;
        }
        return builder.Build(firstLine);
    }

    private static bool ReadUnsigned(ReadOnlySpan<byte> table, ref int position, out int value)
    {
        value = 0;
        var shift = 0;
        while (position < table.Length && shift < 30)
        {
            var b = table[position++];
            value |= (b & 63) << shift;
            if ((b & 64) == 0)
            {
                return true;
            }
            shift += 6;
        }
        return false;
    }

    private static bool ReadSigned(ReadOnlySpan<byte> table, ref int position, out int value)
    {
        if (!ReadUnsigned(table, ref position, out var raw))
        {
            value = 0;
            return false;
        }
        value = (raw & 1) != 0 ? -(raw >> 1) : raw >> 1;
        return true;
    }

    // One builder per thread, reused: decoding a large table then costs its final arrays, not the
    // lists' growth as well. Decoding never re-enters, so a thread's builder is free when Start runs.
    private sealed class Builder
    {
        [ThreadStatic]
        private static Builder? t_shared;

        private readonly List<int> _starts = new(4096);
        private readonly List<int> _ends = new(4096);
        private readonly List<int> _lines = new(4096);

        public static Builder Start()
        {
            var builder = t_shared ??= new Builder();
            builder._starts.Clear();
            builder._ends.Clear();
            builder._lines.Clear();
            return builder;
        }

        // Lines are summed from target-supplied deltas in 64 bits; one outside int range means garbage.
        public bool Add(int start, int end, long wideLine)
        {
            if (_starts.Count >= MaxEntries || wideLine is < int.MinValue or > int.MaxValue)
            {
                return false;
            }
            var line = (int)wideLine;
            // Merge with the previous range when contiguous and on the same line: keeps lookups short.
            if (_starts.Count > 0 && _ends[^1] == start && _lines[^1] == line)
            {
                _ends[^1] = end;
                return true;
            }
            _starts.Add(start);
            _ends.Add(end);
            _lines.Add(line);
            return true;
        }

        public LineTable? Build(int firstLine) =>
            _starts.Count > MaxEntries ? null : new LineTable(firstLine, [.. _starts], [.. _ends], [.. _lines]);
    }
}
