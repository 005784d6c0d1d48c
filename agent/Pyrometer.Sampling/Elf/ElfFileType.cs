namespace Pyrometer.Sampling.Elf;

/// <summary><c>e_type</c>: what kind of object an ELF file is.</summary>
internal enum ElfFileType
{
    None = 0,
    Relocatable = 1,

    /// <summary>ET_EXEC: linked at fixed addresses (a non-PIE executable); load bias 0.</summary>
    Executable = 2,

    /// <summary>ET_DYN: a shared object or a PIE executable, loaded anywhere.</summary>
    SharedObject = 3,
    Core = 4,
}
