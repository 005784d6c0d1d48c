using System.Collections.Concurrent;
using System.Diagnostics;

namespace Pyrometer.Sampling.Tests.Live;

/// <summary>Whether an interpreter can import a module, asked once per interpreter and module (test discovery).</summary>
internal static class PythonModules
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly ConcurrentDictionary<(string Path, string Module), string?> Answers = new();

    /// <summary>Null when <paramref name="module"/> imports, else the interpreter's last line of error output.</summary>
    public static string? ImportError(TestPython python, string module) =>
        Answers.GetOrAdd((python.Path, module), key => Ask(key.Path, key.Module));

    private static string? Ask(string path, string module)
    {
        // The same search the test scripts make: the interpreter's own path, then Debian's dist-packages under its prefix.
        var info = new ProcessStartInfo(path) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["-I", "-c", "import os, sys\n"
            + "try:\n    import " + module + "\n"
            + "except ImportError:\n    sys.path.append(os.path.join(sys.prefix, 'lib', 'python3', 'dist-packages'))\n    import " + module])
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment.Remove("PYTHONHOME");
        info.Environment.Remove("PYTHONPATH");
        try
        {
            using var process = Process.Start(info)!;
            if (!process.WaitForExit(Patience))
            {
                process.Kill();
                return "the import did not finish in time";
            }
            // Exited: its error output is complete (an import error is a few lines, well within the pipe).
            var error = process.StandardError.ReadToEnd();
            return process.ExitCode == 0 ? null
                : error.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? $"exit status {process.ExitCode}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return e.Message;
        }
    }
}
