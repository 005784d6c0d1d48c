using System.Diagnostics;

namespace Pyrometer.Sampling.Tests.Target;

/// <summary>A child process that prints one line once it is ready and then sleeps; killed on dispose.</summary>
internal sealed class SleepingProcess : IDisposable
{
    private readonly Process _process;

    private SleepingProcess(Process process, string? firstLine)
    {
        _process = process;
        FirstLine = firstLine;
    }

    public int ProcessId => _process.Id;

    /// <summary>What the child printed first (null when it prints nothing).</summary>
    public string? FirstLine { get; }

    /// <summary>
    /// Starts a Python interpreter that reports <c>sys.hexversion</c> and <c>sys.version</c> on one line, then
    /// sleeps. Returning only after that line arrived means the interpreter has finished initialising.
    /// </summary>
    public static SleepingProcess StartPython(string executable)
    {
        const string Script = "import sys, time; sys.stdout.write('%d %s\\n' % (sys.hexversion, sys.version.split()[0])); sys.stdout.flush(); time.sleep(30)";
        return Start(executable, ["-c", Script], waitForLine: true);
    }

    public static SleepingProcess Start(string executable, IReadOnlyList<string> arguments, bool waitForLine)
    {
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {executable}.");
        string? line = null;
        if (waitForLine)
        {
            line = process.StandardOutput.ReadLine();
            if (line is null)
            {
                var error = process.StandardError.ReadToEnd();
                process.Dispose();
                throw new InvalidOperationException($"{executable} exited before reporting its version: {error}");
            }
        }
        return new SleepingProcess(process, line);
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }
}
