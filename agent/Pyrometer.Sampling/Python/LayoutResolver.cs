using Pyrometer.Sampling.Memory;
using Pyrometer.Sampling.Target;

namespace Pyrometer.Sampling.Python;

/// <summary>Picks the layout for a located interpreter: compiled-in for 3.8–3.12, the target's own debug offsets for 3.13+.</summary>
internal static class LayoutResolver
{
    /// <summary>The layout, or null with a message naming the version (for the UnsupportedPython error).</summary>
    public static PythonLayout? Resolve(IProcessMemory memory, InterpreterLocation location, out string error)
    {
        ArgumentNullException.ThrowIfNull(memory);
        ArgumentNullException.ThrowIfNull(location);
        var version = location.Version;
        if (version.Major == 3 && version.Minor >= 13)
        {
            return DebugOffsetsReader.Read(memory, location.RuntimeAddress, version, out error);
        }
        return KnownLayouts.For(version, out error);
    }
}
