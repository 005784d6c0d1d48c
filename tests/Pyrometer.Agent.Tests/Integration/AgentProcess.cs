using System.Diagnostics;
using System.Text;

namespace Pyrometer.Agent.Tests.Integration;

/// <summary>
/// Runs the built agent as its own process, for what only a real process shows: its output and /proc/PID/cmdline.
/// The agent targets net9.0 and the test host may only have a newer runtime, hence the roll-forward.
/// </summary>
internal sealed class AgentProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;
    private readonly StringBuilder _stderrSoFar = new();
    private readonly Lock _stderrLock = new();

    private AgentProcess(Process process)
    {
        _process = process;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = PumpStderrAsync();
    }

    public int Pid => _process.Id;

    /// <summary>setpriv's arguments that run the rest of its command line as nobody, without supplementary groups.</summary>
    public static IReadOnlyList<string> NobodyPrefix { get; } = ["--reuid=65534", "--regid=65534", "--clear-groups"];

    /// <summary>Starts the agent; with <paramref name="asNobody"/> as uid/gid 65534 through setpriv, which execs it (same PID).</summary>
    public static AgentProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, bool asNobody = false)
    {
        var info = new ProcessStartInfo(asNobody ? "setpriv" : "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        string[] prefix = asNobody ? [.. NobodyPrefix, "dotnet"] : [];
        foreach (var arg in (string[])[.. prefix, "exec", "--roll-forward", "Major", Path.Combine(AppContext.BaseDirectory, "pyrometer.dll"), .. args])
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }
        return new AgentProcess(Process.Start(info) ?? throw new InvalidOperationException("could not start the agent"));
    }

    /// <summary>
    /// The command line every process in the PID namespace can read, NUL-separated arguments joined by spaces. The kernel
    /// shows it empty until the new program's arguments are in place, so this waits for it (the hang guard bounds it).
    /// </summary>
    public async Task<string> ReadCmdlineAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (true)
        {
            var text = await File.ReadAllTextAsync($"/proc/{Pid}/cmdline");
            if (text.Length > 0 || _process.HasExited || DateTime.UtcNow > deadline)
            {
                return text.Replace('\0', ' ');
            }
            await Task.Delay(10);
        }
    }

    /// <summary>Waits until stderr shows <paramref name="text"/> (a hang guard of a minute, not a speed assertion).</summary>
    public async Task WaitForErrorOutputAsync(string text)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (true)
        {
            string soFar;
            lock (_stderrLock)
            {
                soFar = _stderrSoFar.ToString();
            }
            if (soFar.Contains(text, StringComparison.Ordinal))
            {
                return;
            }
            if (_stderr.IsCompleted || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"the agent did not write '{text}' to stderr; it wrote: {soFar}");
            }
            await Task.Delay(20);
        }
    }

    private async Task<string> PumpStderrAsync()
    {
        var buffer = new char[4096];
        int read;
        while ((read = await _process.StandardError.ReadAsync(buffer)) > 0)
        {
            lock (_stderrLock)
            {
                _stderrSoFar.Append(buffer, 0, read);
            }
        }
        lock (_stderrLock)
        {
            return _stderrSoFar.ToString();
        }
    }

    /// <summary>Waits for the exit (a hang guard, not a speed assertion) and returns the exit code with everything printed.</summary>
    public async Task<(int ExitCode, string Output)> WaitAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (_process.ExitCode, await _stdout + await _stderr);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }
}
