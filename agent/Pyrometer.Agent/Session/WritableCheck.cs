using System.Runtime.InteropServices;

namespace Pyrometer.Agent.Session;

/// <summary>
/// Proves, before sampling starts, that an output can be written: a run of minutes must not end in an
/// unwritable path and lose every sample (issue #13). Messages name the path and the OS's reason.
/// </summary>
internal static class WritableCheck
{
    /// <summary>Creates the file's folder and opens the file for writing (without truncating it); null when that works.</summary>
    public static string? File(string path, string what)
    {
        try
        {
            var full = Path.GetFullPath(path);
            if (System.IO.Directory.Exists(full))
            {
                return $"cannot write the {what} {full}: it is a directory";
            }
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            var existed = System.IO.File.Exists(full);
            using (new FileStream(full, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite, 1))
            {
            }
            if (!existed)
            {
                System.IO.File.Delete(full);   // written for real at the end; no empty file if the run fails
            }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return $"cannot write the {what} {path}: {Reason(e, path)}";
        }
    }

    /// <summary>Creates the folder and a file in it (removed on close); null when that works.</summary>
    public static string? Directory(string path, string what)
    {
        try
        {
            var full = Path.GetFullPath(path);
            System.IO.Directory.CreateDirectory(full);
            var probe = Path.Combine(full, $".pyrometer-check-{Environment.ProcessId}");
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return $"cannot write to the {what} {path}: {Reason(e, path)}";
        }
    }

    /// <summary>
    /// The OS's words for a failed file operation. The exceptions' own messages are resource keys in
    /// the NativeAOT binary (UseSystemResourceKeys), so they are not shown.
    /// </summary>
    internal static string Reason(Exception e, string path) => e switch
    {
        // ENOTDIR surfaces as "not found" or "exists": say which it is, since "/some/file/out.svg" is the usual mistake.
        IOException when AncestorIsFile(path) => "not a directory",
        UnauthorizedAccessException => "permission denied",
        PathTooLongException => "file name too long",
        DirectoryNotFoundException or FileNotFoundException => "no such file or directory",
        ArgumentException or NotSupportedException => "not a valid path",
        // On Linux an IOException without a more specific type carries the errno as its HResult.
        IOException when e.HResult is > 0 and < 4096 => Marshal.GetPInvokeErrorMessage(e.HResult).ToLowerInvariant(),
        _ => "input/output error",
    };

    private static bool AncestorIsFile(string path)
    {
        try
        {
            for (var dir = Path.GetDirectoryName(Path.GetFullPath(path)); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
            {
                if (System.IO.File.Exists(dir))
                {
                    return true;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
        }
        return false;
    }
}
