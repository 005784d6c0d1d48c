using Pyrometer.Rendering.Folded;
using Pyrometer.Rendering.Model;
using Pyrometer.Rendering.Pprof;

namespace Pyrometer.Rendering.Formats;

/// <summary>Loads a profile for <c>convert</c> and <c>diff</c>: gzip input is pprof, anything else folded text.</summary>
public static class ProfileLoader
{
    internal static InputFormat Detect(ReadOnlySpan<byte> head) =>
        head.Length >= 2 && head[0] == 0x1f && head[1] == 0x8b ? InputFormat.Pprof : InputFormat.Folded;

    /// <summary>
    /// Reads <paramref name="input"/>; <paramref name="name"/> (e.g. the file name) becomes the target when
    /// the file does not carry one. Bad input throws <see cref="ProfileFormatException"/>.
    /// </summary>
    public static Profile Load(Stream input, string name) => Load(input, name, long.MaxValue);

    /// <summary>
    /// <see cref="Load(Stream, string)"/> for input from elsewhere: a profile longer than <paramref name="maxBytes"/>,
    /// as stored or (pprof) after inflating, throws <see cref="ProfileTooLargeException"/>.
    /// </summary>
    public static Profile Load(Stream input, string name, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        if (input.CanSeek && input.Length - input.Position > maxBytes)
        {
            throw new ProfileTooLargeException($"profile: over {maxBytes} bytes", maxBytes);
        }
        var buffered = input.CanSeek ? input : new MemoryStream(BoundedCopy.ReadAll(input, maxBytes, "profile"), writable: false);
        var head = new byte[2];
        var start = buffered.Position;
        var read = buffered.ReadAtLeast(head, 2, throwOnEndOfStream: false);
        buffered.Position = start;
        var profile = Detect(head.AsSpan(0, read)) == InputFormat.Pprof
            ? PprofReader.Read(buffered, maxBytes: maxBytes)
            : FoldedReader.Read(buffered, ProfileMetadata.None);
        return profile.Metadata.Target.Length > 0 ? profile : profile.WithMetadata(profile.Metadata with { Target = name });
    }

    /// <summary><see cref="Load(Stream, string)"/> from the file at <paramref name="path"/>; errors name the file.</summary>
    public static Profile LoadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            using var file = File.OpenRead(path);
            return Load(file, Path.GetFileName(path));
        }
        catch (ProfileFormatException e)
        {
            throw new ProfileFormatException($"{path}: {e.Message}", e);
        }
    }
}
