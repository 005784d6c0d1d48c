using System.Diagnostics;

namespace Pyrometer.Agent.Tests.Integration;

/// <summary>A Python process running a few lines given inline; it prints "ready" once set up, and dies with its tree.</summary>
internal sealed class InlinePython : IDisposable
{
    private readonly Process _process;

    private InlinePython(Process process) => _process = process;

    public int Pid => _process.Id;

    /// <summary>The first test interpreter (PYROMETER_TEST_PYTHONS, see hack/lib/test-env.sh), else the system's; null when none exists.</summary>
    public static string? Interpreter { get; } =
        (Environment.GetEnvironmentVariable("PYROMETER_TEST_PYTHONS") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Append("/usr/bin/python3").FirstOrDefault(File.Exists);

    /// <summary>Starts <paramref name="code"/> with <paramref name="arguments"/> (visible in its command line) and waits for "ready".</summary>
    public static async Task<InlinePython> StartAsync(string code, params string[] arguments)
    {
        var info = new ProcessStartInfo(Interpreter ?? throw new InvalidOperationException("no test interpreter"))
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in (string[])["-B", "-c", code, .. arguments])
        {
            info.ArgumentList.Add(argument);
        }
        var python = new InlinePython(Process.Start(info)!);
        var line = await python._process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(1));
        if (line != "ready")
        {
            python.Dispose();
            throw new InvalidOperationException($"the inline script did not get ready (printed '{line}')");
        }
        return python;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
    }
}

/// <summary>A live test that needs one of the manifest's interpreters and the published agent.</summary>
internal sealed class LivePythonFactAttribute : FactAttribute
{
    public LivePythonFactAttribute() => Skip = Missing();

    /// <summary>Why the test cannot run here, or null.</summary>
    internal static string? Missing() =>
        NativeAgent.Missing ?? (InlinePython.Interpreter is null ? "no test interpreter: run hack/install-test-deps.sh" : null);
}

/// <summary>A live theory that needs one of the manifest's interpreters and the published agent.</summary>
internal sealed class LivePythonTheoryAttribute : TheoryAttribute
{
    public LivePythonTheoryAttribute() => Skip = LivePythonFactAttribute.Missing();
}
