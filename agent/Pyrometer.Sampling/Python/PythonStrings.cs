using System.Buffers.Binary;
using System.Text;

namespace Pyrometer.Sampling.Python;

/// <summary>
/// Decodes PEP 393 <c>str</c> objects and <c>bytes</c> objects from copies of their memory. Reading
/// is two steps (header, then data) so these functions only interpret bytes; they never read.
/// </summary>
internal static class PythonStrings
{
    /// <summary>Longest name or file name accepted, in code points (py-spy uses the same cap).</summary>
    public const int MaxChars = 4096;

    /// <summary>Largest line table accepted. Legitimate tables of huge modules pass 64 KiB; garbage sizes do not.</summary>
    public const int MaxBytes = 1 << 20;

    /// <summary>
    /// Interprets a string header: where its characters start (relative to the object) and how many
    /// bytes they take. Only compact strings are accepted: code names and file names always are.
    /// </summary>
    public static bool TryParseHeader(ReadOnlySpan<byte> header, PythonLayout layout, out int dataOffset, out int byteCount, out int kind)
    {
        dataOffset = 0;
        byteCount = 0;
        kind = 0;
        if (header.Length < layout.UnicodeHeaderLength)
        {
            return false;
        }
        var length = BinaryPrimitives.ReadInt64LittleEndian(header.Slice(layout.UnicodeLength, 8));
        var state = BinaryPrimitives.ReadUInt32LittleEndian(header.Slice(layout.UnicodeState, 4));
        kind = (int)((state >> layout.UnicodeKindShift) & 7);
        var compact = ((state >> layout.UnicodeCompactBit) & 1) != 0;
        var ascii = ((state >> layout.UnicodeAsciiBit) & 1) != 0;
        if (length is < 0 or > MaxChars || !compact || kind is not (1 or 2 or 4) || (ascii && kind != 1))
        {
            return false;                       // a freed or foreign object: the caller drops the frame
        }
        dataOffset = ascii ? layout.UnicodeAsciiData : layout.UnicodeCompactData;
        byteCount = (int)length * kind;
        return true;
    }

    /// <summary>Decodes characters of the given kind (1 Latin-1, 2 UCS-2, 4 UCS-4); false for invalid code points.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, int kind, out string text)
    {
        text = "";
        switch (kind)
        {
            case 1:
                text = Encoding.Latin1.GetString(data);
                return true;
            case 2:
                var units = new char[data.Length / 2];
                for (var i = 0; i < units.Length; i++)
                {
                    units[i] = (char)BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(i * 2, 2));
                }
                text = new string(units);
                return true;
            case 4:
                var builder = new StringBuilder(data.Length / 4);
                for (var i = 0; i + 4 <= data.Length; i += 4)
                {
                    var codePoint = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(i, 4));
                    if (codePoint > 0x10FFFF || codePoint is >= 0xD800 and <= 0xDFFF)
                    {
                        return false;
                    }
                    builder.Append(char.ConvertFromUtf32((int)codePoint));
                }
                text = builder.ToString();
                return true;
            default:
                return false;
        }
    }

    /// <summary>Interprets a bytes header: the payload length, bounded by <see cref="MaxBytes"/>.</summary>
    public static bool TryParseBytesHeader(ReadOnlySpan<byte> header, PythonLayout layout, out int length)
    {
        length = 0;
        if (header.Length < layout.BytesSize + 8)
        {
            return false;
        }
        var size = BinaryPrimitives.ReadInt64LittleEndian(header.Slice(layout.BytesSize, 8));
        if (size is < 0 or > MaxBytes)
        {
            return false;
        }
        length = (int)size;
        return true;
    }
}
