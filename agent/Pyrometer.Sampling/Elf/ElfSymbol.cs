namespace Pyrometer.Sampling.Elf;

/// <summary>A defined symbol of an ELF file.</summary>
/// <param name="Name">The symbol's name (no version suffix).</param>
/// <param name="Value"><c>st_value</c>: the link-time address for data and functions.</param>
/// <param name="Size"><c>st_size</c> in bytes.</param>
/// <param name="Kind">The low nibble of <c>st_info</c>: 1 object, 2 function, 6 TLS.</param>
/// <param name="SectionIndex"><c>st_shndx</c>: the section the symbol is defined in.</param>
/// <param name="IsDynamic">Found in <c>.dynsym</c> (exported) rather than only in <c>.symtab</c>.</param>
internal readonly record struct ElfSymbol(string Name, ulong Value, ulong Size, byte Kind, ushort SectionIndex, bool IsDynamic)
{
    public const byte ObjectKind = 1;
    public const byte FunctionKind = 2;
}
