namespace Pyrometer.Sampling.Elf;

/// <summary>One section header of a 64-bit ELF file, with its name resolved.</summary>
/// <param name="Name">From the section-name string table, e.g. <c>.PyRuntime</c>.</param>
/// <param name="Type"><c>sh_type</c> (8 is SHT_NOBITS: occupies memory, not file space).</param>
/// <param name="Address"><c>sh_addr</c>: link-time address (add the load bias for a run-time one).</param>
/// <param name="Offset"><c>sh_offset</c> in the file.</param>
/// <param name="Size"><c>sh_size</c> in bytes.</param>
/// <param name="Link"><c>sh_link</c>: for symbol tables, the index of their string table.</param>
internal sealed record ElfSection(string Name, uint Type, ulong Flags, ulong Address, ulong Offset, ulong Size, uint Link, ulong EntrySize)
{
    public const uint SymbolTableType = 2;
    public const uint StringTableType = 3;
    public const uint NoBitsType = 8;
    public const uint DynamicSymbolTableType = 11;

    public bool IsNoBits => Type == NoBitsType;
}
