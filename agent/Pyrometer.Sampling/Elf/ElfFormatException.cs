namespace Pyrometer.Sampling.Elf;

/// <summary>A file is not a 64-bit little-endian ELF file, or is cut short or inconsistent.</summary>
internal sealed class ElfFormatException : Exception
{
    public ElfFormatException()
    {
    }

    public ElfFormatException(string message)
        : base(message)
    {
    }

    public ElfFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
