using System.Buffers.Binary;
using System.Text;

namespace Pyrometer.Sampling.Tests.Elf;

/// <summary>
/// Writes small 64-bit little-endian ELF images: a header, one PT_LOAD, named sections and a
/// .dynsym. Tests use it for crafted files; the fuzzing harnesses use it for seed inputs.
/// </summary>
internal sealed class TinyElf
{
    public const uint SymbolTableType = 2;
    public const uint StringTableType = 3;
    public const uint DynamicSymbolTableType = 11;
    public const uint ProgramBitsType = 1;
    public const uint NoBitsType = 8;

    private readonly List<Part> _sections = [];
    private readonly List<(string Name, ulong Value, ulong Size)> _symbols = [];

    /// <summary>
    /// Adds a section (indices start at 1, in the order added). <paramref name="size"/> overrides the
    /// header's size; <paramref name="sharesDataOf"/> points its offset at an earlier section's data.
    /// </summary>
    public TinyElf Section(string name, uint type, byte[] data, uint link = 0, ulong address = 0, ulong entrySize = 0, ulong? size = null, int sharesDataOf = 0)
    {
        _sections.Add(new Part(name, type, data, link, address, entrySize, size, sharesDataOf));
        return this;
    }

    /// <summary>A defined object symbol in .dynsym (section index 1, any defined section will do).</summary>
    public TinyElf Symbol(string name, ulong value, ulong size = 8)
    {
        _symbols.Add((name, value, size));
        return this;
    }

    public byte[] Build()
    {
        var sections = new List<Part> { new("", 0, [], 0, 0, 0, null, 0) };
        sections.AddRange(_sections);
        if (_symbols.Count > 0)
        {
            var strings = new MemoryStream();
            strings.WriteByte(0);
            var entries = new byte[24 * (_symbols.Count + 1)];
            for (var i = 0; i < _symbols.Count; i++)
            {
                var entry = entries.AsSpan(24 * (i + 1), 24);
                BinaryPrimitives.WriteUInt32LittleEndian(entry, (uint)strings.Length);
                entry[4] = 0x11;                                          // GLOBAL OBJECT
                BinaryPrimitives.WriteUInt16LittleEndian(entry[6..], 1);
                BinaryPrimitives.WriteUInt64LittleEndian(entry[8..], _symbols[i].Value);
                BinaryPrimitives.WriteUInt64LittleEndian(entry[16..], _symbols[i].Size);
                strings.Write(Encoding.UTF8.GetBytes(_symbols[i].Name));
                strings.WriteByte(0);
            }
            sections.Add(new Part(".dynstr", StringTableType, strings.ToArray(), 0, 0, 0, null, 0));
            sections.Add(new Part(".dynsym", DynamicSymbolTableType, entries, (uint)sections.Count - 1, 0, 24, null, 0));
        }
        var names = new MemoryStream();
        names.WriteByte(0);
        var nameOffsets = new List<uint>();
        foreach (var section in sections)
        {
            nameOffsets.Add(section.Name.Length == 0 ? 0 : (uint)names.Length);
            if (section.Name.Length > 0)
            {
                names.Write(Encoding.UTF8.GetBytes(section.Name));
                names.WriteByte(0);
            }
        }
        nameOffsets.Add((uint)names.Length);
        names.Write(".shstrtab\0"u8);
        sections.Add(new Part(".shstrtab", StringTableType, names.ToArray(), 0, 0, 0, null, 0));

        const int headerSize = 64, programSize = 56, sectionSize = 64;
        var offset = headerSize + programSize;
        var offsets = new List<int>();
        foreach (var section in sections)
        {
            offset = (offset + 7) & ~7;
            offsets.Add(offset);
            offset += section.Data.Length;
        }
        var sectionTable = (offset + 7) & ~7;
        var image = new byte[sectionTable + sectionSize * sections.Count];
        var h = image.AsSpan();
        "\u007fELF"u8.CopyTo(h);
        h[4] = 2;
        h[5] = 1;
        h[6] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(h[16..], 3);             // ET_DYN
        BinaryPrimitives.WriteUInt16LittleEndian(h[18..], 62);            // x86-64
        BinaryPrimitives.WriteUInt32LittleEndian(h[20..], 1);
        BinaryPrimitives.WriteUInt64LittleEndian(h[32..], headerSize);    // e_phoff
        BinaryPrimitives.WriteUInt64LittleEndian(h[40..], (ulong)sectionTable);
        BinaryPrimitives.WriteUInt16LittleEndian(h[52..], headerSize);
        BinaryPrimitives.WriteUInt16LittleEndian(h[54..], programSize);
        BinaryPrimitives.WriteUInt16LittleEndian(h[56..], 1);
        BinaryPrimitives.WriteUInt16LittleEndian(h[58..], sectionSize);
        BinaryPrimitives.WriteUInt16LittleEndian(h[60..], (ushort)sections.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(h[62..], (ushort)(sections.Count - 1));
        var load = h.Slice(headerSize, programSize);
        BinaryPrimitives.WriteUInt32LittleEndian(load, 1);                // PT_LOAD, offset 0, address 0
        BinaryPrimitives.WriteUInt32LittleEndian(load[4..], 5);
        BinaryPrimitives.WriteUInt64LittleEndian(load[32..], (ulong)image.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(load[40..], (ulong)image.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(load[48..], 0x1000);
        for (var i = 0; i < sections.Count; i++)
        {
            var section = sections[i];
            section.Data.CopyTo(image, offsets[i]);
            var entry = h.Slice(sectionTable + sectionSize * i, sectionSize);
            BinaryPrimitives.WriteUInt32LittleEndian(entry, nameOffsets[i]);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], section.Type);
            BinaryPrimitives.WriteUInt64LittleEndian(entry[16..], section.Address);
            BinaryPrimitives.WriteUInt64LittleEndian(entry[24..], i == 0 ? 0 : (ulong)offsets[section.SharesDataOf > 0 ? section.SharesDataOf : i]);
            BinaryPrimitives.WriteUInt64LittleEndian(entry[32..], section.Size ?? (ulong)section.Data.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[40..], section.Link);
            BinaryPrimitives.WriteUInt64LittleEndian(entry[56..], section.EntrySize);
        }
        return image;
    }

    private sealed record Part(string Name, uint Type, byte[] Data, uint Link, ulong Address, ulong EntrySize, ulong? Size, int SharesDataOf);
}
