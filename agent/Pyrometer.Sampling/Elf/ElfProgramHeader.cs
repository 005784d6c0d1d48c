namespace Pyrometer.Sampling.Elf;

/// <summary>One program header (segment) of a 64-bit ELF file.</summary>
/// <param name="Type"><c>p_type</c> (1 is PT_LOAD).</param>
/// <param name="Flags"><c>p_flags</c>: 1 execute, 2 write, 4 read.</param>
/// <param name="Offset"><c>p_offset</c>: where the segment starts in the file.</param>
/// <param name="VirtualAddress"><c>p_vaddr</c>: its link-time address.</param>
/// <param name="FileSize"><c>p_filesz</c>: bytes taken from the file.</param>
/// <param name="MemorySize"><c>p_memsz</c>: bytes in memory (the rest is zero-filled, e.g. <c>.bss</c>).</param>
/// <param name="Align"><c>p_align</c>.</param>
internal readonly record struct ElfProgramHeader(
    uint Type, uint Flags, ulong Offset, ulong VirtualAddress, ulong FileSize, ulong MemorySize, ulong Align)
{
    public const uint LoadType = 1;

    public bool IsLoad => Type == LoadType;
}
