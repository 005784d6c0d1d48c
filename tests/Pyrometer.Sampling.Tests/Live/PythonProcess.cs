using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Pyrometer.Sampling.Tests.Live;

/// <summary>
/// A target script from Scripts/ running under one interpreter: <c>&lt;python&gt; -u Scripts/&lt;name&gt;.py args</c>.
/// <see cref="StartAsync"/> returns once the script printed <c>READY {json}</c>; commands go to its stdin and
/// each gets one JSON line back. Dispose kills the whole process tree. Stderr is kept for error messages.
/// </summary>
public sealed class PythonProcess : IDisposable
{
    /// <summary>How long start-up and each command may take before the helper gives up (not a test assertion).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private const string ReadyPrefix = "READY ";

    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly StringBuilder _stderr = new();
    private readonly Lock _stderrLock = new();
    private readonly SemaphoreSlim _commandGate = new(1, 1);

    private PythonProcess(Process process, TestPython python, string script)
    {
        _process = process;
        Pid = process.Id;
        Python = python;
        Script = script;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderrLock)
                {
                    _stderr.AppendLine(e.Data);
                }
            }
        };
    }

    public TestPython Python { get; }

    public string Script { get; }

    /// <summary>
    /// The interpreter's process id in our PID namespace (also its main thread's native id, unless a
    /// launcher put it in another namespace: then READY's ids are that namespace's).
    /// </summary>
    public int Pid { get; private set; }

    /// <summary>The JSON after <c>READY</c>: pid, version, executable, main_native_id and what the script adds.</summary>
    public JsonElement Ready { get; private set; }

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the target wrote to stderr so far.</summary>
    public string StandardError
    {
        get
        {
            lock (_stderrLock)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Absolute path of Scripts/<paramref name="script"/>.py in the test output folder.</summary>
    public static string ScriptPath(string script)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(script);
        if (script.Contains('/', StringComparison.Ordinal) || script.EndsWith(".py", StringComparison.Ordinal))
        {
            throw new ArgumentException($"Name a script in Scripts/ without folder or extension (e.g. \"hot_functions\"), not '{script}'.", nameof(script));
        }
        var path = System.IO.Path.Combine(AppContext.BaseDirectory, "Scripts", script + ".py");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No test script {path}; the Scripts folder is copied to the output by the test project.", path);
        }
        return path;
    }

    /// <summary>Starts the script and waits (at most <see cref="DefaultTimeout"/>) for its READY line.</summary>
    /// <param name="launcher">
    /// A command that runs the interpreter as its only child (e.g. <c>unshare -p -f</c>); <see cref="Pid"/> is then the child's.
    /// </param>
    public static async Task<PythonProcess> StartAsync(
        TestPython python, string script, IReadOnlyList<string>? arguments = null, IReadOnlyList<string>? launcher = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(python);
        if (!python.IsAvailable)
        {
            throw new ArgumentException($"CPython {python} cannot be started: {python.SkipReason}", nameof(python));
        }
        var path = ScriptPath(script);
        var info = new ProcessStartInfo(launcher is { Count: > 0 } ? launcher[0] : python.Path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = System.IO.Path.GetDirectoryName(path)!,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        if (launcher is { Count: > 0 })
        {
            foreach (var part in launcher.Skip(1))
            {
                info.ArgumentList.Add(part);
            }
            info.ArgumentList.Add(python.Path);
        }
        info.ArgumentList.Add("-u");
        info.ArgumentList.Add(path);
        foreach (var argument in arguments ?? [])
        {
            info.ArgumentList.Add(argument);
        }
        // The target must see only its own standard library, and leave no bytecode in the output folder.
        info.Environment.Remove("PYTHONHOME");
        info.Environment.Remove("PYTHONPATH");
        info.Environment.Remove("PYTHONSTARTUP");
        info.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        info.Environment["PYTHONIOENCODING"] = "utf-8";

        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {python.Path}.");
        var target = new PythonProcess(process, python, script);
        try
        {
            process.BeginErrorReadLine();
            _ = target.PumpStdoutAsync();
            await target.WaitForReadyAsync(cancellationToken);
            if (launcher is { Count: > 0 })
            {
                target.Pid = ProcChildren.WaitForFirst(process.Id);
            }
            return target;
        }
        catch
        {
            target.Dispose();
            throw;
        }
    }

    /// <summary>Sends one command line and returns the target's one-line JSON reply.</summary>
    public async Task<JsonElement> SendAsync(string command, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        if (command.Contains('\n', StringComparison.Ordinal))
        {
            throw new ArgumentException("A command is one line.", nameof(command));
        }
        await _commandGate.WaitAsync(cancellationToken);
        try
        {
            await _process.StandardInput.WriteLineAsync(command.AsMemory(), cancellationToken);
            await _process.StandardInput.FlushAsync(cancellationToken);
            var line = await ReadLineAsync($"the reply to '{command}'", cancellationToken);
            try
            {
                using var document = JsonDocument.Parse(line);
                return document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new InvalidOperationException($"{Describe()} answered '{command}' with a line that is not JSON: {line}", e);
            }
        }
        finally
        {
            _commandGate.Release();
        }
    }

    /// <summary>Asks the target for every thread's stack (the <c>dump</c> command).</summary>
    public async Task<PythonDump> DumpAsync(CancellationToken cancellationToken = default) =>
        PythonDump.Parse(await SendAsync("dump", cancellationToken));

    /// <summary>Waits (at most <paramref name="timeout"/>) for the target to exit and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{Describe()} did not exit within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s. stderr: {StandardError}");
        }
        return _process.ExitCode;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(5));
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
        _process.Dispose();
        _commandGate.Dispose();
    }

    private async Task PumpStdoutAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                await _lines.Writer.WriteAsync(line);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The process was killed while we were reading; the channel's completion reports it.
        }
        finally
        {
            _lines.Writer.TryComplete();
        }
    }

    private async Task WaitForReadyAsync(CancellationToken cancellationToken)
    {
        var before = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync("READY", cancellationToken, before);
            if (line.StartsWith(ReadyPrefix, StringComparison.Ordinal))
            {
                try
                {
                    using var document = JsonDocument.Parse(line.AsMemory(ReadyPrefix.Length));
                    Ready = document.RootElement.Clone();
                }
                catch (JsonException e)
                {
                    throw new InvalidOperationException($"{Describe()} printed a READY line whose JSON does not parse: {line}", e);
                }
                return;
            }
            before.Add(line);
        }
    }

    private async Task<string> ReadLineAsync(string waitingFor, CancellationToken cancellationToken, List<string>? earlier = null)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(DefaultTimeout);
        try
        {
            if (await _lines.Reader.WaitToReadAsync(limit.Token) && _lines.Reader.TryRead(out var line))
            {
                return line;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{Describe()} did not print {waitingFor} within {DefaultTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.{Context(earlier)}");
        }
        // stdout closed: the process is gone (or closing). Give stderr a moment to drain for the message.
        _process.WaitForExit(TimeSpan.FromSeconds(5));
        var code = _process.HasExited ? _process.ExitCode.ToString(CultureInfo.InvariantCulture) : "unknown";
        throw new InvalidOperationException($"{Describe()} closed its stdout (exit code {code}) before {waitingFor}.{Context(earlier)}");
    }

    private string Context(List<string>? earlier)
    {
        var text = new StringBuilder();
        if (earlier is { Count: > 0 })
        {
            text.Append(" stdout before: ").Append(string.Join(" | ", earlier));
        }
        var stderr = StandardError.Trim();
        text.Append(stderr.Length > 0 ? $" stderr: {stderr}" : " stderr: (empty)");
        return text.ToString();
    }

    private string Describe() => $"Scripts/{Script}.py under {Python.Path} ({Python})";
}
