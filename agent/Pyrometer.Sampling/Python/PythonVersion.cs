using System.Globalization;

namespace Pyrometer.Sampling.Python;

/// <summary>A CPython version as in <c>PY_VERSION_HEX</c>, plus the build flavour.</summary>
internal readonly record struct PythonVersion(int Major, int Minor, int Micro, int ReleaseLevel, int Serial, bool FreeThreaded = false)
{
    /// <summary>Release level of a final release in <c>PY_VERSION_HEX</c> (0xA alpha, 0xB beta, 0xC candidate).</summary>
    public const int Final = 0xF;

    public static PythonVersion FromHex(ulong hex, bool freeThreaded = false) => new(
        (int)((hex >> 24) & 0xFF), (int)((hex >> 16) & 0xFF), (int)((hex >> 8) & 0xFF),
        (int)((hex >> 4) & 0xF), (int)(hex & 0xF), freeThreaded);

    public ulong Hex => (uint)Major << 24 | (uint)Minor << 16 | (uint)Micro << 8 | (uint)ReleaseLevel << 4 | (uint)Serial;

    public bool IsPreRelease => ReleaseLevel != Final;

    public bool AtLeast(int major, int minor) => Major > major || (Major == major && Minor >= minor);

    /// <summary>Formats as Python does: <c>3.12.7</c>, <c>3.15.0a2</c>, <c>3.14.0rc1</c>, with <c>t</c> for free-threaded.</summary>
    public override string ToString()
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}.{Micro}");
        text += ReleaseLevel switch
        {
            0xA => string.Create(CultureInfo.InvariantCulture, $"a{Serial}"),
            0xB => string.Create(CultureInfo.InvariantCulture, $"b{Serial}"),
            0xC => string.Create(CultureInfo.InvariantCulture, $"rc{Serial}"),
            _ => "",
        };
        return FreeThreaded ? text + "t" : text;
    }
}
