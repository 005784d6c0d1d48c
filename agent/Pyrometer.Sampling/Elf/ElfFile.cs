using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Pyrometer.Sampling.Elf;

/// <summary>
/// The parts of a 64-bit little-endian ELF file that discovery needs: header, program headers,
/// named section headers and the defined symbols of <c>.dynsym</c> and <c>.symtab</c>.
/// The file is read once, when opened; only the tables are read, never code or debug info.
/// The file belongs to the target, so every size in it is hostile: each table is capped, the bytes
/// read from one file are capped in total, and so are the names decoded from it.
/// </summary>
internal sealed class ElfFile
{
    private const int HeaderSize = 64;
    private const int ProgramHeaderSize = 56;
    private const int SectionHeaderSize = 64;
    private const int SymbolSize = 24;
    private const ushort UndefinedSection = 0;
    private const ushort ExtendedSectionIndex = 0xFFFF;
    private const byte FileSymbolKind = 4;
    private const byte SectionSymbolKind = 3;

    /// <summary>libpython's .symtab holds 10k–17k symbols (about 400 KB); 32 MiB is far beyond any real table.</summary>
    public const long MaxTableBytes = 32L << 20;

    /// <summary>All tables of one file together: a file that lists the same huge table many times stops here.</summary>
    public const long MaxTotalBytes = 64L << 20;

    /// <summary>A linked executable or library has a few dozen sections (libpython ≈ 40).</summary>
    public const int MaxSections = 4096;

    /// <summary>Longest section or symbol name decoded; longer ones are ignored (real ones are under 100 bytes).</summary>
    public const int MaxNameBytes = 1024;

    /// <summary>Bytes of names decoded from one file when every symbol is wanted (tests, tools).</summary>
    private const long MaxDecodedNameBytes = 16L << 20;

    /// <summary>Bytes read at a time when only wanted symbols are kept; a multiple of <see cref="SymbolSize"/>, with a name's length to spare in a pooled 64 KiB buffer.</summary>
    internal const int StreamChunk = 2728 * SymbolSize;

    private readonly Dictionary<string, ElfSection> _sectionsByName;
    private readonly Dictionary<string, ElfSymbol> _symbols;

    private ElfFile(
        string path,
        FileIdentity identity,
        ElfFileType type,
        ushort machine,
        IReadOnlyList<ElfProgramHeader> programHeaders,
        IReadOnlyList<ElfSection> sections,
        Dictionary<string, ElfSymbol> symbols)
    {
        Path = path;
        Type = type;
        Machine = machine;
        ProgramHeaders = programHeaders;
        Sections = sections;
        Identity = identity;
        _symbols = symbols;
        _sectionsByName = new Dictionary<string, ElfSection>(StringComparer.Ordinal);
        foreach (var section in sections)
        {
            // Several sections may share a name (rare); the largest .bss is the interesting one.
            if (!_sectionsByName.TryGetValue(section.Name, out var existing) || section.Size > existing.Size)
            {
                _sectionsByName[section.Name] = section;
            }
        }
    }

    /// <summary>The path the file was opened from.</summary>
    public string Path { get; }

    /// <summary>The identity of the open file that was parsed (default for an in-memory image).</summary>
    public FileIdentity Identity { get; }

    public ElfFileType Type { get; }

    /// <summary><c>e_machine</c> (62 is x86-64, 183 AArch64).</summary>
    public ushort Machine { get; }

    public IReadOnlyList<ElfProgramHeader> ProgramHeaders { get; }

    public IReadOnlyList<ElfSection> Sections { get; }

    /// <summary>How many distinct defined symbol names were found in both tables.</summary>
    public int SymbolCount => _symbols.Count;

    /// <summary>Reads and parses the file at <paramref name="path"/>.</summary>
    /// <exception cref="ElfFormatException">The file is not a 64-bit little-endian ELF file or is truncated.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static ElfFile Open(string path, IReadOnlySet<string>? symbolNames = null)
    {
        using var file = RegularFile.Open(path);
        return Parse(file, path, symbolNames);
    }

    /// <summary>Parses a file already opened (and checked) by <see cref="RegularFile.Open"/>; reads only through its descriptor.</summary>
    /// <exception cref="ElfFormatException">Not a usable 64-bit little-endian ELF file.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static ElfFile Parse(RegularFile file, string path, IReadOnlySet<string>? symbolNames = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        return Parse(new Reader(file.Handle, default, file.Identity.Length, path), file.Identity, symbolNames);
    }

    /// <summary>Parses an image held in memory (fuzzing, tests) exactly as a file would be.</summary>
    /// <exception cref="ElfFormatException">Not a usable 64-bit little-endian ELF file.</exception>
    public static ElfFile Parse(ReadOnlyMemory<byte> image, string path, IReadOnlySet<string>? symbolNames = null) =>
        Parse(new Reader(null, image, image.Length, path), default, symbolNames);

    private static ElfFile Parse(Reader reader, FileIdentity identity, IReadOnlySet<string>? symbolNames)
    {
        var path = reader.Path;

        ReadOnlySpan<byte> header = reader.Read(0, HeaderSize, "ELF header");
        CheckIdentity(header, path);

        var type = (ElfFileType)BinaryPrimitives.ReadUInt16LittleEndian(header[16..]);
        var machine = BinaryPrimitives.ReadUInt16LittleEndian(header[18..]);
        var programOffset = BinaryPrimitives.ReadUInt64LittleEndian(header[32..]);
        var sectionOffset = BinaryPrimitives.ReadUInt64LittleEndian(header[40..]);
        var programEntrySize = BinaryPrimitives.ReadUInt16LittleEndian(header[54..]);
        var programCount = BinaryPrimitives.ReadUInt16LittleEndian(header[56..]);
        var sectionEntrySize = BinaryPrimitives.ReadUInt16LittleEndian(header[58..]);
        int sectionCount = BinaryPrimitives.ReadUInt16LittleEndian(header[60..]);
        int nameSectionIndex = BinaryPrimitives.ReadUInt16LittleEndian(header[62..]);

        var programHeaders = ReadProgramHeaders(reader, programOffset, programEntrySize, programCount);

        var sections = new List<ElfSection>();
        var symbols = new Dictionary<string, ElfSymbol>(StringComparer.Ordinal);
        if (sectionOffset != 0)
        {
            if (sectionEntrySize != SectionHeaderSize)
            {
                throw new ElfFormatException(Invariant($"{path}: section header entries are {sectionEntrySize} bytes, expected {SectionHeaderSize}."));
            }
            ReadOnlySpan<byte> first = reader.Read(sectionOffset, SectionHeaderSize, "section header table");
            if (sectionCount == 0)
            {
                // More than 0xFF00 sections: the real count lives in section 0's sh_size.
                sectionCount = (int)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(first[32..]), MaxSections + 1);
            }
            if (nameSectionIndex == ExtendedSectionIndex)
            {
                // sh_link of section 0 holds the real index; an absurd one must not wrap to a negative int.
                nameSectionIndex = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(first[40..]), int.MaxValue);
            }
            if (sectionCount > MaxSections)
            {
                throw new ElfFormatException(Invariant($"{path}: {sectionCount} sections is more than this reader accepts ({MaxSections})."));
            }
            sections = ReadSections(reader, sectionOffset, sectionCount, nameSectionIndex);
            AddSymbols(reader, sections, ElfSection.DynamicSymbolTableType, symbols, symbolNames);
            AddSymbols(reader, sections, ElfSection.SymbolTableType, symbols, symbolNames);
        }

        return new ElfFile(path, identity, type, machine, programHeaders, sections, symbols);
    }

    /// <summary>Finds a section by exact name (<c>.PyRuntime</c>, <c>.bss</c>, <c>.data</c>).</summary>
    public ElfSection? FindSection(string name) => _sectionsByName.GetValueOrDefault(name);

    /// <summary>Finds a defined symbol by name, exported ones (<c>.dynsym</c>) first.</summary>
    public bool TryGetSymbol(string name, out ElfSymbol symbol) => _symbols.TryGetValue(name, out symbol);

    /// <summary>The link-time address of a defined symbol, or null when absent.</summary>
    public ulong? SymbolAddress(string name) => _symbols.TryGetValue(name, out var symbol) ? symbol.Value : null;

    /// <summary>
    /// The load bias (run-time minus link-time address) implied by a mapping of this file that starts
    /// at <paramref name="mappingStart"/> with file offset <paramref name="fileOffset"/>; null when no
    /// PT_LOAD segment covers that offset.
    /// </summary>
    public ulong? LoadBias(ulong mappingStart, ulong fileOffset) => ComputeLoadBias(ProgramHeaders, mappingStart, fileOffset);

    /// <summary>
    /// bias = start − (p_vaddr − p_offset + offset), using the PT_LOAD segment that contains the offset.
    /// ELF requires p_vaddr ≡ p_offset (mod page), and the kernel maps a segment from its page-aligned
    /// offset, so a mapping may begin up to a page before p_offset. Non-PIE ET_EXEC files get 0.
    /// </summary>
    public static ulong? ComputeLoadBias(IReadOnlyList<ElfProgramHeader> programHeaders, ulong mappingStart, ulong fileOffset)
    {
        ArgumentNullException.ThrowIfNull(programHeaders);
        ElfProgramHeader? containing = null;
        foreach (var segment in programHeaders)
        {
            if (!segment.IsLoad)
            {
                continue;
            }
            var mappedFrom = AlignDown(segment.Offset, segment.Align);
            if (mappedFrom == fileOffset)
            {
                // A mapping that starts exactly where a segment's mapping starts is that segment's, even
                // when the previous segment's last page covers the same offset (e.g. libpython's RW segment).
                containing = segment;
                break;
            }
            if (containing is null && fileOffset >= mappedFrom && fileOffset < segment.Offset + Math.Max(segment.FileSize, 1))
            {
                containing = segment;   // a later part of a segment split by mprotect (RELRO)
            }
        }
        if (containing is not { } load)
        {
            return null;
        }
        return unchecked(mappingStart - (load.VirtualAddress - load.Offset + fileOffset));
    }

    private static ulong AlignDown(ulong value, ulong align)
    {
        // p_align is a power of two for loadable segments; 0 or 1 means no alignment. Fall back to 4 KiB
        // pages otherwise, the smallest the kernel maps.
        var page = align > 1 && (align & (align - 1)) == 0 ? Math.Min(align, 4096UL) : 4096UL;
        return value & ~(page - 1);
    }

    private static void CheckIdentity(ReadOnlySpan<byte> header, string path)
    {
        if (header[0] != 0x7F || header[1] != (byte)'E' || header[2] != (byte)'L' || header[3] != (byte)'F')
        {
            throw new ElfFormatException($"{path} is not an ELF file (no \\x7FELF signature).");
        }
        if (header[4] != 2)
        {
            throw new ElfFormatException(Invariant($"{path} is a 32-bit ELF file (class {header[4]}); only 64-bit targets are supported."));
        }
        if (header[5] != 1)
        {
            throw new ElfFormatException(Invariant($"{path} is a big-endian ELF file (data {header[5]}); only little-endian targets are supported."));
        }
        if (header[6] != 1)
        {
            throw new ElfFormatException(Invariant($"{path} has unknown ELF version {header[6]}."));
        }
    }

    private static List<ElfProgramHeader> ReadProgramHeaders(Reader reader, ulong offset, ushort entrySize, ushort count)
    {
        var headers = new List<ElfProgramHeader>(count);
        if (offset == 0 || count == 0)
        {
            return headers;
        }
        if (entrySize != ProgramHeaderSize)
        {
            throw new ElfFormatException(Invariant($"{reader.Path}: program header entries are {entrySize} bytes, expected {ProgramHeaderSize}."));
        }
        var table = reader.Read(offset, count * ProgramHeaderSize, "program header table");
        for (var i = 0; i < count; i++)
        {
            var entry = table.AsSpan(i * ProgramHeaderSize, ProgramHeaderSize);
            headers.Add(new ElfProgramHeader(
                Type: BinaryPrimitives.ReadUInt32LittleEndian(entry),
                Flags: BinaryPrimitives.ReadUInt32LittleEndian(entry[4..]),
                Offset: BinaryPrimitives.ReadUInt64LittleEndian(entry[8..]),
                VirtualAddress: BinaryPrimitives.ReadUInt64LittleEndian(entry[16..]),
                FileSize: BinaryPrimitives.ReadUInt64LittleEndian(entry[32..]),
                MemorySize: BinaryPrimitives.ReadUInt64LittleEndian(entry[40..]),
                Align: BinaryPrimitives.ReadUInt64LittleEndian(entry[48..])));
        }
        return headers;
    }

    private static List<ElfSection> ReadSections(Reader reader, ulong offset, int count, int nameSectionIndex)
    {
        var table = reader.Read(offset, count * SectionHeaderSize, "section header table");
        var raw = new (uint Name, uint Type, ulong Flags, ulong Address, ulong Offset, ulong Size, uint Link, ulong EntrySize)[count];
        for (var i = 0; i < count; i++)
        {
            var entry = table.AsSpan(i * SectionHeaderSize, SectionHeaderSize);
            raw[i] = (
                BinaryPrimitives.ReadUInt32LittleEndian(entry),
                BinaryPrimitives.ReadUInt32LittleEndian(entry[4..]),
                BinaryPrimitives.ReadUInt64LittleEndian(entry[8..]),
                BinaryPrimitives.ReadUInt64LittleEndian(entry[16..]),
                BinaryPrimitives.ReadUInt64LittleEndian(entry[24..]),
                BinaryPrimitives.ReadUInt64LittleEndian(entry[32..]),
                BinaryPrimitives.ReadUInt32LittleEndian(entry[40..]),
                BinaryPrimitives.ReadUInt64LittleEndian(entry[56..]));
        }

        byte[] names = [];
        if (nameSectionIndex != UndefinedSection)
        {
            if (nameSectionIndex >= count)
            {
                throw new ElfFormatException(Invariant($"{reader.Path}: section-name table index {nameSectionIndex} is beyond the {count} sections."));
            }
            var nameSection = raw[nameSectionIndex];
            names = reader.Read(nameSection.Offset, CheckedTableSize(reader, nameSection.Size, "section-name table"), "section-name table");
        }

        var sections = new List<ElfSection>(count);
        foreach (var s in raw)
        {
            sections.Add(new ElfSection(ReadString(reader, names, s.Name), s.Type, s.Flags, s.Address, s.Offset, s.Size, s.Link, s.EntrySize));
        }
        return sections;
    }

    private static void AddSymbols(Reader reader, List<ElfSection> sections, uint tableType, Dictionary<string, ElfSymbol> symbols, IReadOnlySet<string>? wanted)
    {
        if (wanted is not null)
        {
            AddWantedSymbols(reader, sections, tableType, symbols, wanted);
            return;
        }
        foreach (var table in sections)
        {
            if (table.Type != tableType)
            {
                continue;
            }
            var stringTable = StringTableOf(reader, sections, table, out var what);
            var strings = reader.Read(stringTable.Offset, CheckedTableSize(reader, stringTable.Size, what), what + " strings");
            var entries = reader.Read(table.Offset, CheckedTableSize(reader, table.Size, what), what);
            for (var at = 0; at + SymbolSize <= entries.Length; at += SymbolSize)
            {
                var entry = entries.AsSpan(at, SymbolSize);
                if (AddressNameOffset(entry) is not { } nameOffset)
                {
                    continue;
                }
                var name = ReadString(reader, strings, nameOffset);
                if (name.Length > 0)
                {
                    symbols.TryAdd(name, Symbol(name, entry, table));
                }
            }
        }
    }

    private static int CheckedTableSize(Reader reader, ulong size, string what)
    {
        if (size > MaxTableBytes)
        {
            throw new ElfFormatException(Invariant($"{reader.Path}: {what} claims {size} bytes, more than the {MaxTableBytes} this reader accepts."));
        }
        return (int)size;
    }

    /// <summary>
    /// The same symbols as the whole-table path keeps for <paramref name="wanted"/>, read through one
    /// small buffer: a profiler needs a handful of names out of libpython's 10-17k, and reading its
    /// .symtab and .strtab whole (about 750 KB) cost the agent's start-up a fresh, zeroed allocation
    /// and its page faults. First the string table is searched for each wanted name followed by its
    /// NUL (a symbol may point into the middle of a longer string, so every occurrence counts), then
    /// the entries are streamed and only those naming one of those offsets are kept.
    /// </summary>
    private static void AddWantedSymbols(Reader reader, List<ElfSection> sections, uint tableType, Dictionary<string, ElfSymbol> symbols, IReadOnlySet<string> wanted)
    {
        var names = wanted.Where(name => name.Length > 0).ToArray();
        var patterns = names.Select(name => Encoding.UTF8.GetBytes(name + "\0")).ToArray();
        var longest = patterns.Length == 0 ? 0 : patterns.Max(pattern => pattern.Length);
        byte[]? buffer = null;
        try
        {
            foreach (var table in sections)
            {
                if (table.Type != tableType)
                {
                    continue;
                }
                buffer ??= ArrayPool<byte>.Shared.Rent(StreamChunk + longest);
                AddWantedFrom(reader, sections, table, symbols, names, patterns, longest, buffer);
            }
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private static void AddWantedFrom(Reader reader, List<ElfSection> sections, ElfSection table, Dictionary<string, ElfSymbol> symbols, string[] names, byte[][] patterns, int longest, byte[] buffer)
    {
        var stringTable = StringTableOf(reader, sections, table, out var what);
        var stringsLength = CheckedTableSize(reader, stringTable.Size, what);
        reader.Reserve(stringTable.Offset, stringsLength, what + " strings");
        var entriesLength = CheckedTableSize(reader, table.Size, what);
        reader.Reserve(table.Offset, entriesLength, what);
        var found = FindNames(reader, stringTable.Offset, stringsLength, patterns, longest, buffer, what + " strings");
        if (found.Count == 0)
        {
            return;
        }
        var whole = entriesLength / SymbolSize * SymbolSize;
        for (var start = 0; start < whole; start += StreamChunk)
        {
            var chunk = buffer.AsSpan(0, Math.Min(StreamChunk, whole - start));
            reader.ReadInto(table.Offset + (ulong)start, chunk, what);
            for (var at = 0; at < chunk.Length; at += SymbolSize)
            {
                var entry = chunk.Slice(at, SymbolSize);
                if (AddressNameOffset(entry) is not { } nameOffset || !found.TryGetValue(nameOffset, out var index))
                {
                    continue;
                }
                var name = names[index];
                if (name.Length <= MaxNameBytes && reader.SpendNameBytes(name.Length))
                {
                    symbols.TryAdd(name, Symbol(name, entry, table));
                }
            }
        }
    }

    private static ElfSection StringTableOf(Reader reader, List<ElfSection> sections, ElfSection table, out string what)
    {
        what = table.Name.Length > 0 ? table.Name : "symbol table";
        if (table.Link >= sections.Count)
        {
            throw new ElfFormatException(Invariant($"{reader.Path}: {what} links to string table {table.Link}, beyond the {sections.Count} sections."));
        }
        return sections[(int)table.Link];
    }

    /// <summary>The name's offset of a symbol that is an address in this file; null for an import (undefined here) or bookkeeping.</summary>
    private static uint? AddressNameOffset(ReadOnlySpan<byte> entry)
    {
        var nameOffset = BinaryPrimitives.ReadUInt32LittleEndian(entry);
        var kind = entry[4] & 0xF;
        var sectionIndex = BinaryPrimitives.ReadUInt16LittleEndian(entry[6..]);
        return sectionIndex == UndefinedSection || nameOffset == 0 || kind is FileSymbolKind or SectionSymbolKind ? null : nameOffset;
    }

    private static ElfSymbol Symbol(string name, ReadOnlySpan<byte> entry, ElfSection table) => new(
        name,
        BinaryPrimitives.ReadUInt64LittleEndian(entry[8..]),
        BinaryPrimitives.ReadUInt64LittleEndian(entry[16..]),
        (byte)(entry[4] & 0xF),
        BinaryPrimitives.ReadUInt16LittleEndian(entry[6..]),
        table.Type == ElfSection.DynamicSymbolTableType);

    /// <summary>Every offset in the string table at which one of <paramref name="patterns"/> (a name and its NUL) starts → that pattern's index.</summary>
    private static Dictionary<uint, int> FindNames(Reader reader, ulong offset, int length, byte[][] patterns, int overlap, byte[] buffer, string what)
    {
        var found = new Dictionary<uint, int>();
        for (var start = 0; start < length; start += StreamChunk)
        {
            // Each window reaches OVERLAP bytes into the next, so a name across the seam is seen whole;
            // only matches starting inside this window's own StreamChunk bytes are counted here.
            var window = buffer.AsSpan(0, (int)Math.Min(StreamChunk + (long)overlap, length - start));
            reader.ReadInto(offset + (ulong)start, window, what);
            var own = Math.Min(StreamChunk, window.Length);
            // One pass over the NULs (vectorised), each tried as the end of every pattern: a search per
            // pattern rescanned the table once per name and cost more than the read.
            var from = 0;
            while (from < window.Length)
            {
                var nul = window[from..].IndexOf((byte)0);
                if (nul < 0)
                {
                    break;
                }
                var end = from + nul + 1;   // just past the NUL
                for (var p = 0; p < patterns.Length; p++)
                {
                    var pattern = patterns[p];
                    var begin = end - pattern.Length;
                    // The name's last byte first: most NULs end no wanted name, and a call per pair cost more.
                    if (begin >= 0 && begin < own && window[end - 2] == pattern[^2] && window[begin..end].SequenceEqual(pattern))
                    {
                        found.TryAdd((uint)(start + begin), p);
                    }
                }
                from = end;
            }
        }
        return found;
    }

    // A name runs to its NUL; one longer than MaxNameBytes, or past the decoding budget, reads as "" (ignored).
    private static string ReadString(Reader reader, byte[] table, uint offset)
    {
        if (offset >= table.Length)
        {
            return "";
        }
        var rest = table.AsSpan((int)offset);
        rest = rest[..Math.Min(rest.Length, MaxNameBytes + 1)];
        var end = rest.IndexOf((byte)0);
        var name = end < 0 ? rest : rest[..end];
        if (name.Length > MaxNameBytes || !reader.SpendNameBytes(name.Length))
        {
            return "";
        }
        return Encoding.UTF8.GetString(name);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    // Reads tables from an open descriptor (never the path again) or an in-memory image, counting every byte.
    private sealed class Reader(SafeFileHandle? handle, ReadOnlyMemory<byte> image, long length, string path)
    {
        private long _total;
        private long _nameBytes;

        public string Path => path;

        public bool SpendNameBytes(int count)
        {
            _nameBytes += count;
            return _nameBytes <= MaxDecodedNameBytes;
        }

        public byte[] Read(ulong offset, int count, string what)
        {
            Reserve(offset, count, what);
            var buffer = new byte[count];
            ReadInto(offset, buffer, what);
            return buffer;
        }

        /// <summary>Checks that COUNT bytes at OFFSET lie inside the file and counts them against the total cap.</summary>
        public void Reserve(ulong offset, int count, string what)
        {
            if (count < 0 || offset > (ulong)length || (ulong)count > (ulong)length - offset)
            {
                throw new ElfFormatException(Invariant(
                    $"{path} is truncated: the {what} (offset {offset}, {count} bytes) ends beyond the file's {length} bytes."));
            }
            _total += count;
            if (_total > MaxTotalBytes)
            {
                throw new ElfFormatException(Invariant(
                    $"{path}: its tables add up to more than the {MaxTotalBytes} bytes this reader accepts from one file (at the {what})."));
            }
        }

        /// <summary>Fills INTO from OFFSET, inside a range already passed to <see cref="Reserve"/>.</summary>
        public void ReadInto(ulong offset, Span<byte> into, string what)
        {
            if (handle is null)
            {
                image.Span.Slice((int)offset, into.Length).CopyTo(into);
                return;
            }
            var done = 0;
            while (done < into.Length)
            {
                var read = RandomAccess.Read(handle, into[done..], (long)offset + done);
                if (read == 0)
                {
                    throw new ElfFormatException(Invariant($"{path} is truncated: the {what} could not be read completely."));
                }
                done += read;
            }
        }
    }
}
