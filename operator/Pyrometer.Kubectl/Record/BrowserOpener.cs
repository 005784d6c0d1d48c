using System.ComponentModel;
using System.Diagnostics;

namespace Pyrometer.Kubectl.Record;

/// <summary>Opens a downloaded file with the desktop's handler (xdg-open), as <c>--open</c> asks.</summary>
internal static class BrowserOpener
{
    /// <summary>Null when started; else why not (no xdg-open on a server, say).</summary>
    public static string? Open(string path)
    {
        var info = new ProcessStartInfo("xdg-open") { UseShellExecute = false };
        info.ArgumentList.Add(Path.GetFullPath(path));   // a path starting with '-' would read as an option
        try
        {
            using var process = Process.Start(info);
            return process is null ? "xdg-open did not start" : null;
        }
        catch (Win32Exception e)
        {
            return $"cannot run xdg-open: {e.Message}";
        }
    }
}
