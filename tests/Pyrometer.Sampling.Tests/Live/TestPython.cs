using System.Globalization;
using Xunit.Abstractions;

namespace Pyrometer.Sampling.Tests.Live;

/// <summary>
/// One CPython interpreter a live test runs against, or one that could not be installed
/// (<see cref="SkipReason"/> set). Serializable so that each interpreter is its own test case.
/// </summary>
public sealed class TestPython : IXunitSerializable
{
    /// <summary>For xunit's deserializer only.</summary>
    [Obsolete("Called by xunit when it deserializes a test case.")]
    public TestPython()
    {
    }

    public TestPython(string path, string version, string origin, string? skipReason = null)
    {
        Path = path;
        Version = version;
        Origin = origin;
        SkipReason = skipReason;
    }

    /// <summary>Absolute path of the interpreter; empty for a missing one.</summary>
    public string Path { get; private set; } = "";

    /// <summary>The version as the interpreter reports it (e.g. 3.11.2), or the wanted one (e.g. 3.14) when missing.</summary>
    public string Version { get; private set; } = "";

    /// <summary>Where it came from: pyenv, debian-bookworm, debian-sid, env, ...</summary>
    public string Origin { get; private set; } = "";

    /// <summary>Why this interpreter cannot be used; null when it can.</summary>
    public string? SkipReason { get; private set; }

    public bool IsAvailable => SkipReason is null;

    /// <summary>Major and minor version, e.g. (3, 12); pre-release tags are ignored.</summary>
    public (int Major, int Minor) MajorMinor
    {
        get
        {
            var parts = Version.Split('.');
            if (parts.Length < 2
                || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
                || !int.TryParse(new string([.. parts[1].TakeWhile(char.IsAsciiDigit)]), NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
            {
                throw new FormatException($"'{Version}' is not a Python version (expected e.g. 3.11.2).");
            }
            return (major, minor);
        }
    }

    /// <summary>True when this interpreter is <paramref name="major"/>.<paramref name="minor"/> or newer.</summary>
    public bool IsAtLeast(int major, int minor) => MajorMinor.CompareTo((major, minor)) >= 0;

    public void Deserialize(IXunitSerializationInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        Path = info.GetValue<string>(nameof(Path));
        Version = info.GetValue<string>(nameof(Version));
        Origin = info.GetValue<string>(nameof(Origin));
        SkipReason = info.GetValue<string?>(nameof(SkipReason));
    }

    public void Serialize(IXunitSerializationInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        info.AddValue(nameof(Path), Path);
        info.AddValue(nameof(Version), Version);
        info.AddValue(nameof(Origin), Origin);
        info.AddValue(nameof(SkipReason), SkipReason);
    }

    /// <summary>Shown in test names: "3.11.2 debian-bookworm".</summary>
    public override string ToString() => $"{Version} {Origin}";
}
