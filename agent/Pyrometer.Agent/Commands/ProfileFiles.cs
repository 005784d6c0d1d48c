using Pyrometer.Agent.Session;
using Pyrometer.Rendering.Formats;
using Pyrometer.Rendering.Model;

namespace Pyrometer.Agent.Commands;

/// <summary>
/// Reading and writing the files of <c>convert</c> and <c>diff</c>, with errors worded here: the runtime's
/// own messages are resource keys in the NativeAOT binary (UseSystemResourceKeys).
/// </summary>
internal static class ProfileFiles
{
    /// <summary>The profile in <paramref name="path"/>, or null with a sentence naming the file and the cause.</summary>
    public static Profile? TryLoad(string path, out string error)
    {
        error = "";
        if (Directory.Exists(path))
        {
            error = $"cannot read the input {path}: it is a directory";
            return null;
        }
        try
        {
            return ProfileLoader.LoadFile(path);
        }
        catch (ProfileFormatException e)
        {
            error = e.Message;   // ours, naming the file and the line: "in.folded: Folded line 3: …"
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            error = $"cannot read the input {path}: {WritableCheck.Reason(e, path)}";
        }
        return null;
    }

    /// <summary>Writes <paramref name="path"/>; null when that worked, else a sentence naming the file and the cause.</summary>
    public static string? TryWrite(string path, Action<Stream> write)
    {
        if (Directory.Exists(path))
        {
            return $"cannot write the output {path}: it is a directory";
        }
        try
        {
            using var file = File.Create(path);
            write(file);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return $"cannot write the output {path}: {WritableCheck.Reason(e, path)}";
        }
    }
}
