using Pyrometer.Sampling.Elf;
using Pyrometer.Sampling.Target;
using Pyrometer.Sampling.Tests.Target;

namespace Pyrometer.Sampling.Tests.Elf;

/// <summary>
/// Parsing with a set of wanted names streams the tables through a small buffer; it must keep exactly
/// what parsing the whole tables keeps for those names.
/// </summary>
public sealed class ElfWantedSymbolsTests
{
    private static readonly string[] Minors = ["3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "3.15"];

    [PyenvFact("3.11")]
    public void Open_PyenvLibrariesWithWantedNames_KeepTheSameSymbolsAsTheWholeTables()
    {
        var compared = 0;
        foreach (var minor in Minors)
        {
            if (PythonInstalls.PyenvLibrary(minor) is { } library)
            {
                AssertSameWantedSymbols(library);
                compared++;
            }
        }
        Assert.True(compared > 0);
    }

    [FileFact("Debian's static non-PIE CPython: apt-get install python3.11-minimal", "/usr/bin/python3.11")]
    public void Open_DebianExecutableWithWantedNames_KeepsTheSameSymbolsAsTheWholeTables() =>
        AssertSameWantedSymbols("/usr/bin/python3.11");

    [Fact]
    public void Parse_WantedNameAcrossTheReadSeam_IsFoundWithItsValue()
    {
        // _PyRuntime's name starts a few bytes either side of where one buffer-full of the string table ends.
        for (var shift = -12; shift <= 12; shift++)
        {
            var image = PaddedImage(ElfFile.StreamChunk + shift);

            var wanted = ElfFile.Parse(image, "seam.elf", InterpreterLocator.SymbolNames);
            var whole = ElfFile.Parse(image, "seam.elf");

            Assert.Equal(0x1000UL, wanted.SymbolAddress("_PyRuntime"));
            Assert.Equal(0x2000UL, wanted.SymbolAddress("PyCode_Type"));
            Assert.Equal(whole.SymbolAddress("_PyRuntime"), wanted.SymbolAddress("_PyRuntime"));
        }
    }

    [Fact]
    public void Parse_WantedNameOnlyInsideAnotherSymbolsName_IsNotASymbol()
    {
        // "xPy_Version" holds "Py_Version\0" one byte in, but no symbol's name starts there.
        var image = new TinyElf().Symbol("xPy_Version", 0x3000).Symbol("_PyRuntime", 0x1000).Build();

        var elf = ElfFile.Parse(image, "inside.elf", InterpreterLocator.SymbolNames);

        Assert.Null(elf.SymbolAddress("Py_Version"));
        Assert.Equal(0x1000UL, elf.SymbolAddress("_PyRuntime"));
        Assert.Null(elf.SymbolAddress("xPy_Version"));   // not wanted
    }

    private static void AssertSameWantedSymbols(string path)
    {
        var whole = ElfFile.Open(path);
        var wanted = ElfFile.Open(path, InterpreterLocator.SymbolNames);

        Assert.True(wanted.TryGetSymbol(InterpreterLocator.RuntimeSymbol, out _), $"{path}: no _PyRuntime");
        foreach (var name in InterpreterLocator.SymbolNames)
        {
            Assert.Equal(whole.TryGetSymbol(name, out var expected), wanted.TryGetSymbol(name, out var actual));
            Assert.Equal(expected, actual);
        }
        Assert.Equal(InterpreterLocator.SymbolNames.Count(name => whole.TryGetSymbol(name, out _)), wanted.SymbolCount);
    }

    // A .dynstr whose "_PyRuntime" starts at byte OFFSET: filler names first, then one to pad the rest.
    private static byte[] PaddedImage(int offset)
    {
        var builder = new TinyElf();
        var at = 1;   // the string table starts with its empty name
        var index = 0;
        while (offset - at > 64)
        {
            var name = $"filler_{index++:D8}";   // 15 bytes and its NUL
            builder.Symbol(name, 0x9000);
            at += name.Length + 1;
        }
        builder.Symbol(new string('p', offset - at - 1), 0x9000);
        return builder.Symbol("_PyRuntime", 0x1000).Symbol("PyCode_Type", 0x2000).Build();
    }
}
