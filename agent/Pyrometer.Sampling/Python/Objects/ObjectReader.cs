using System.Buffers.Binary;
using System.Text;
using Pyrometer.Sampling.Memory;

namespace Pyrometer.Sampling.Python.Objects;

/// <summary>
/// Reads ordinary Python objects out of a target process: an object's type name, <c>str</c>, small
/// <c>int</c>, <c>float</c>, <c>bytes</c> length, tuple items, dict items and lookup by a str key, and an
/// instance's attribute (its <c>__dict__</c>, managed dict or inline values). Nothing read is trusted:
/// every size is capped, every object's type is checked by name, and any read that fails or does not
/// add up gives false; nothing here loops beyond its caps or throws for bad memory. Cheap enough for
/// occasional reads (names, a dump), not for every sample: each object costs a system call or two.
/// </summary>
internal sealed class ObjectReader(IProcessMemory memory, ObjectLayout layout)
{
    /// <summary>Longest type name read (<c>tp_name</c> is a C string of any length).</summary>
    public const int MaxTypeNameBytes = 128;

    /// <summary>Most entries of one dict read (sys.modules of a large application holds a few thousand).</summary>
    public const int MaxDictEntries = 1 << 16;

    /// <summary>Most items of one tuple read.</summary>
    public const int MaxTupleItems = 1 << 16;

    private const int MaxCachedTypes = 4096;
    private const int KeysPerRead = 256;
    private const ulong ManagedDictFlag = 1 << 4;
    private const ulong InlineValuesFlag = 1 << 2;

    private readonly Dictionary<ulong, string> _typeNames = [];
    private readonly List<DictEntry> _scratch = [];
    private ulong _strType;

    public ObjectLayout Layout { get; } = layout;

    public IProcessMemory Memory { get; } = memory;

    /// <summary>Reads one pointer-sized word.</summary>
    public bool TryReadPointer(ulong address, out ulong value) => Memory.TryReadUInt64(address, out value);

    /// <summary>The address of the object's type.</summary>
    public bool TryReadType(ulong obj, out ulong type)
    {
        type = 0;
        return obj != 0 && TryReadPointer(obj + (ulong)Layout.Python.ObjectType, out type) && type != 0;
    }

    /// <summary>The object's type name (<c>tp_name</c>, e.g. <c>str</c> or <c>mod.Class</c>), or null.</summary>
    public string? TypeName(ulong obj) => TryReadType(obj, out var type) ? TypeNameOf(type) : null;

    /// <summary>A type object's <c>tp_name</c>, cached per type address; null when unreadable or not printable ASCII.</summary>
    public string? TypeNameOf(ulong type)
    {
        if (_typeNames.TryGetValue(type, out var known))
        {
            return known;
        }
        if (!TryReadPointer(type + (ulong)Layout.TypeName, out var text) || text == 0)
        {
            return null;
        }
        Span<byte> buffer = stackalloc byte[MaxTypeNameBytes];
        var length = ReadCString(text, buffer);
        if (length <= 0)
        {
            return null;
        }
        foreach (var b in buffer[..length])
        {
            if (b is < 0x21 or > 0x7e)
            {
                return null;                          // a type name is an identifier with dots, never control bytes
            }
        }
        var name = Encoding.ASCII.GetString(buffer[..length]);
        if (_typeNames.Count >= MaxCachedTypes)
        {
            _typeNames.Clear();
        }
        _typeNames[type] = name;
        return name;
    }

    /// <summary>
    /// Reads a <c>str</c> (exactly that type): at most <paramref name="maxChars"/> characters;
    /// <paramref name="length"/> is the string's real length.
    /// </summary>
    public bool TryReadString(ulong obj, int maxChars, out string text, out long length)
    {
        text = "";
        length = 0;
        var python = Layout.Python;
        if (maxChars < 0 || TypeName(obj) != "str")
        {
            return false;
        }
        Span<byte> header = stackalloc byte[python.UnicodeHeaderLength];
        if (!Memory.TryRead(obj, header))
        {
            return false;
        }
        length = BinaryPrimitives.ReadInt64LittleEndian(header.Slice(python.UnicodeLength, 8));
        var state = BinaryPrimitives.ReadUInt32LittleEndian(header.Slice(python.UnicodeState, 4));
        var kind = (int)((state >> python.UnicodeKindShift) & 7);
        var compact = ((state >> python.UnicodeCompactBit) & 1) != 0;
        var ascii = ((state >> python.UnicodeAsciiBit) & 1) != 0;
        if (length < 0 || !compact || kind is not (1 or 2 or 4) || (ascii && kind != 1))
        {
            return false;
        }
        var chars = (int)Math.Min(length, maxChars);
        var data = new byte[chars * kind];
        var start = ascii ? python.UnicodeAsciiData : python.UnicodeCompactData;
        return Memory.TryRead(obj + (ulong)start, data) && PythonStrings.TryDecode(data, kind, out text);
    }

    /// <summary>Reads an <c>int</c> or <c>bool</c> that fits in 64 signed bits.</summary>
    public bool TryReadInt(ulong obj, out long value)
    {
        value = 0;
        if (TypeName(obj) is not ("int" or "bool"))
        {
            return false;
        }
        Span<byte> head = stackalloc byte[Layout.LongDigits + 12];   // up to three 30-bit digits
        if (!Memory.TryRead(obj, head))
        {
            return false;
        }
        var size = BinaryPrimitives.ReadInt64LittleEndian(head.Slice(Layout.Python.VarObjectSize, 8));
        long digits;
        bool negative;
        if (Layout.LongTagged)
        {
            var sign = size & 3;
            digits = (long)((ulong)size >> 3);
            negative = sign == 2;
            if (sign == 3 || (sign == 1 && digits != 0))
            {
                return false;
            }
        }
        else
        {
            negative = size < 0;
            digits = size == long.MinValue ? long.MaxValue : Math.Abs(size);
        }
        if (digits > 3)
        {
            return false;                             // beyond what three digits hold: not a small int
        }
        Int128 magnitude = 0;
        for (var i = (int)digits - 1; i >= 0; i--)
        {
            var digit = BinaryPrimitives.ReadUInt32LittleEndian(head.Slice(Layout.LongDigits + (4 * i), 4));
            if (digit >= 1u << 30)
            {
                return false;
            }
            magnitude = (magnitude << 30) | digit;
        }
        var signed = negative ? -magnitude : magnitude;
        if (signed < long.MinValue || signed > long.MaxValue)
        {
            return false;
        }
        value = (long)signed;
        return true;
    }

    /// <summary>Reads a <c>float</c>.</summary>
    public bool TryReadFloat(ulong obj, out double value)
    {
        value = 0;
        Span<byte> buffer = stackalloc byte[8];
        if (TypeName(obj) != "float" || !Memory.TryRead(obj + (ulong)Layout.HeaderSize, buffer))
        {
            return false;
        }
        value = BinaryPrimitives.ReadDoubleLittleEndian(buffer);
        return true;
    }

    /// <summary>The length of a <c>bytes</c> object.</summary>
    public bool TryReadBytesLength(ulong obj, out long length)
    {
        length = 0;
        return TypeName(obj) == "bytes" && Memory.TryReadInt64(obj + (ulong)Layout.Python.BytesSize, out length) && length >= 0;
    }

    /// <summary>A tuple's item addresses (at most <paramref name="max"/>; false for a longer tuple).</summary>
    public bool TryReadTupleItems(ulong tuple, int max, List<ulong> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        if (TypeName(tuple) != "tuple" || !Memory.TryReadInt64(tuple + (ulong)Layout.Python.VarObjectSize, out var size)
            || size < 0 || size > Math.Min(max, MaxTupleItems))
        {
            return false;
        }
        var items = new byte[size * 8];
        if (!Memory.TryRead(tuple + (ulong)Layout.TupleItems, items))
        {
            return false;
        }
        for (var i = 0; i < size; i++)
        {
            into.Add(BinaryPrimitives.ReadUInt64LittleEndian(items.AsSpan(i * 8, 8)));
        }
        return true;
    }

    /// <summary>Appends a dict's live items (at most <paramref name="max"/>) in insertion order.</summary>
    public bool TryReadDictEntries(ulong dict, int max, List<DictEntry> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        Span<byte> header = stackalloc byte[Layout.DictValues + 8];
        if (TypeName(dict) != "dict" || !Memory.TryRead(dict, header))
        {
            return false;
        }
        var keys = BinaryPrimitives.ReadUInt64LittleEndian(header.Slice(Layout.DictKeys, 8));
        var values = BinaryPrimitives.ReadUInt64LittleEndian(header.Slice(Layout.DictValues, 8));
        return TryReadKeys(keys, values, max, into);
    }

    /// <summary>Looks up a str key in a dict (compared by its characters, as a dict would).</summary>
    public bool TryGetDictItem(ulong dict, string key, out ulong value)
    {
        value = 0;
        _scratch.Clear();
        return TryReadDictEntries(dict, MaxDictEntries, _scratch) && Find(_scratch, key, out value);
    }

    /// <summary>
    /// Reads an attribute from an instance's own attributes (not its class): through <c>tp_dictoffset</c>
    /// (≤3.10), the managed dict or the values shared with the class's cached keys (3.11+), or the
    /// inline values (3.13+).
    /// </summary>
    public bool TryGetAttribute(ulong obj, string name, out ulong value)
    {
        value = 0;
        Span<byte> head = stackalloc byte[Layout.TypeDictOffset + 8];
        if (!TryReadType(obj, out var type) || !Memory.TryRead(type, head))
        {
            return false;
        }
        var flags = BinaryPrimitives.ReadUInt64LittleEndian(head.Slice(Layout.TypeFlags, 8));
        var basicSize = BinaryPrimitives.ReadInt64LittleEndian(head.Slice(Layout.TypeBasicSize, 8));
        var dictOffset = BinaryPrimitives.ReadInt64LittleEndian(head.Slice(Layout.TypeDictOffset, 8));
        ulong dict = 0;
        ulong values = 0;
        switch (Layout.Instances)
        {
            case InstanceDictStyle.ManagedPair when (flags & ManagedDictFlag) != 0:
                if (!TryReadPointer(obj - 32, out values) || !TryReadPointer(obj - 24, out dict))
                {
                    return false;
                }
                break;
            case InstanceDictStyle.ManagedTagged when (flags & ManagedDictFlag) != 0:
                if (!TryReadPointer(obj - 24, out var word))
                {
                    return false;
                }
                (values, dict) = (word & 1) != 0 ? (word + 1, 0UL) : (0UL, word);   // stored as the values address minus one
                break;
            case InstanceDictStyle.InlineValues when (flags & InlineValuesFlag) != 0:
                Span<byte> prefix = stackalloc byte[8];
                if (basicSize is <= 0 or > 1 << 20 || !Memory.TryRead(obj + (ulong)basicSize, prefix))
                {
                    return false;
                }
                if (prefix[3] != 0)
                {
                    values = obj + (ulong)basicSize;  // valid: the attributes live in the object itself
                }
                else if (!TryReadPointer(obj - 24, out dict))
                {
                    return false;
                }
                break;
            case InstanceDictStyle.InlineValues when (flags & ManagedDictFlag) != 0:
                if (!TryReadPointer(obj - 24, out dict))
                {
                    return false;
                }
                break;
            default:
                if (dictOffset is <= 0 or > 1 << 20 || !TryReadPointer(obj + (ulong)dictOffset, out dict))
                {
                    return false;
                }
                break;
        }
        _scratch.Clear();
        if (values != 0)
        {
            return TryReadPointer(type + (ulong)Layout.HeapTypeCachedKeys, out var keys)
                && TryReadKeys(keys, values, MaxDictEntries, _scratch) && Find(_scratch, name, out value);
        }
        return dict != 0 && TryGetDictItem(dict, name, out value);
    }

    private bool Find(List<DictEntry> entries, string key, out ulong value)
    {
        value = 0;
        if (!key.All(c => c <= 0xff))
        {
            return FindSlowly(entries, 0, entries.Count, key, out value);
        }
        // Keys are read many at once (one process_vm_readv for up to KeysPerRead): each key's header
        // (type, length, state) and characters of the one-byte kind the key needs. A key whose read
        // fails ends that call's prefix; it is read on its own and the next call starts after it.
        var python = Layout.Python;
        var stride = Math.Max(python.UnicodeHeaderLength, python.UnicodeCompactData + key.Length);
        var batch = Math.Min(entries.Count, KeysPerRead);
        var buffer = new byte[batch * stride];
        var spans = new RemoteSpan[batch];
        var at = 0;
        while (at < entries.Count)
        {
            var count = Math.Min(KeysPerRead, entries.Count - at);
            for (var j = 0; j < count; j++)
            {
                spans[j] = new RemoteSpan(entries[at + j].Key, stride);
            }
            var status = Memory.Read(spans.AsSpan(0, count), buffer, out var bytesRead);
            if (status is ReadStatus.ProcessGone or ReadStatus.PermissionDenied)
            {
                return false;
            }
            var whole = Math.Min(count, bytesRead / stride);
            for (var j = 0; j < whole; j++)
            {
                if (Matches(buffer.AsSpan(j * stride, stride), key))
                {
                    value = entries[at + j].Value;
                    return true;
                }
            }
            if (whole < count && FindSlowly(entries, at + whole, 1, key, out value))
            {
                return true;
            }
            at += whole < count ? whole + 1 : count;
        }
        return false;
    }

    private bool Matches(ReadOnlySpan<byte> read, string key)
    {
        var python = Layout.Python;
        var type = BinaryPrimitives.ReadUInt64LittleEndian(read.Slice(python.ObjectType, 8));
        var length = BinaryPrimitives.ReadInt64LittleEndian(read.Slice(python.UnicodeLength, 8));
        if (length != key.Length || (type != _strType && TypeNameOf(type) != "str"))
        {
            return false;
        }
        _strType = type;
        var state = BinaryPrimitives.ReadUInt32LittleEndian(read.Slice(python.UnicodeState, 4));
        var kind = (int)((state >> python.UnicodeKindShift) & 7);
        var compact = ((state >> python.UnicodeCompactBit) & 1) != 0;
        var ascii = ((state >> python.UnicodeAsciiBit) & 1) != 0;
        if (!compact || kind != 1)
        {
            return false;                             // a two- or four-byte kind holds a character above U+00FF, which the key lacks
        }
        var start = ascii ? python.UnicodeAsciiData : python.UnicodeCompactData;
        return PythonStrings.TryDecode(read.Slice(start, key.Length), kind, out var text) && text == key;
    }

    // Each key read exactly, two reads apiece.
    private bool FindSlowly(List<DictEntry> entries, int from, int count, string key, out ulong value)
    {
        value = 0;
        for (var i = from; i < from + count; i++)
        {
            if (TryReadString(entries[i].Key, key.Length, out var text, out var length) && length == key.Length && text == key)
            {
                value = entries[i].Value;
                return true;
            }
        }
        return false;
    }

    // A keys table's entries; with `values` (split or shared keys) each value comes from that array instead.
    private bool TryReadKeys(ulong keys, ulong values, int max, List<DictEntry> into)
    {
        if (keys == 0)
        {
            return false;
        }
        Span<byte> header = stackalloc byte[40];
        if (!Memory.TryRead(keys, header))
        {
            return false;
        }
        long entriesOffset;
        long count;
        int entrySize;
        if (Layout.Keys == DictKeysStyle.Sized)
        {
            var size = BinaryPrimitives.ReadInt64LittleEndian(header.Slice(8, 8));
            count = BinaryPrimitives.ReadInt64LittleEndian(header.Slice(32, 8));
            if (size is < 8 or > 1L << 30 || (size & (size - 1)) != 0 || count < 0 || count > size)
            {
                return false;
            }
            var width = size <= 0xff ? 1 : size <= 0xffff ? 2 : 4;
            entriesOffset = 40 + (size * width);
            entrySize = 24;
        }
        else
        {
            int log2Size = header[8];
            int log2IndexBytes = header[9];
            var kind = header[10];
            count = BinaryPrimitives.ReadInt64LittleEndian(header.Slice(24, 8));
            if (log2Size is < 3 or > 30 || log2IndexBytes < log2Size || log2IndexBytes > log2Size + 3 || kind > 2
                || count < 0 || count > 1L << log2Size)
            {
                return false;
            }
            entriesOffset = 32 + (1L << log2IndexBytes);
            entrySize = kind == 0 ? 24 : 16;
        }
        count = Math.Min(count, Math.Min(max, MaxDictEntries));
        if (count == 0)
        {
            return true;
        }
        var table = new byte[count * entrySize];
        if (!Memory.TryRead(keys + (ulong)entriesOffset, table))
        {
            return false;
        }
        byte[]? valueTable = null;
        if (values != 0)
        {
            valueTable = new byte[count * 8];
            if (!Memory.TryRead(values + (ulong)Layout.ValuesStart, valueTable))
            {
                return false;
            }
        }
        var keyAt = entrySize == 24 ? 8 : 0;
        for (var i = 0; i < count; i++)
        {
            var entry = table.AsSpan(i * entrySize, entrySize);
            var key = BinaryPrimitives.ReadUInt64LittleEndian(entry.Slice(keyAt, 8));
            var value = valueTable is null
                ? BinaryPrimitives.ReadUInt64LittleEndian(entry.Slice(keyAt + 8, 8))
                : BinaryPrimitives.ReadUInt64LittleEndian(valueTable.AsSpan(i * 8, 8));
            if (key != 0 && value != 0)
            {
                into.Add(new DictEntry(key, value));
            }
        }
        return true;
    }

    // A NUL-terminated string of at most buffer.Length bytes; -1 when unterminated or unreadable.
    private int ReadCString(ulong address, Span<byte> buffer)
    {
        // Read in small pieces: the string may end just before an unmapped page.
        var read = 0;
        while (read < buffer.Length)
        {
            var piece = Math.Min(32, buffer.Length - read);
            if (!Memory.TryRead(address + (ulong)read, buffer.Slice(read, piece)))
            {
                return -1;
            }
            var end = buffer.Slice(read, piece).IndexOf((byte)0);
            if (end >= 0)
            {
                return read + end;
            }
            read += piece;
        }
        return -1;
    }
}
