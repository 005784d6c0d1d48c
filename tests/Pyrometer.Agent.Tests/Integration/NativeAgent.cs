using System.Diagnostics;
using System.Reflection;

namespace Pyrometer.Agent.Tests.Integration;

/// <summary>
/// Runs the published NativeAOT agent (<c>make agent</c> → artifacts/agent/pyrometer), the binary users get:
/// only it shows what UseSystemResourceKeys does to messages. PYROMETER_AGENT_BINARY names another build
/// (e.g. an older one, to see a test fail before a fix).
/// </summary>
internal static class NativeAgent
{
    public static string Path { get; } = Environment.GetEnvironmentVariable("PYROMETER_AGENT_BINARY") is { Length: > 0 } given
        ? given
        : System.IO.Path.Combine(RepositoryRoot, "artifacts", "agent", "pyrometer");

    /// <summary>Why the binary cannot be run, or null.</summary>
    public static string? Missing => File.Exists(Path) ? null : $"{Path} is not built: run make agent";

    public static string RepositoryRoot =>
        typeof(NativeAgent).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    /// <summary>Runs it to its end (a hang guard of 2 minutes, not a speed assertion); stdout and stderr apart.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo(Path) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + Path);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        return (process.ExitCode, await output, await error);
    }
}

/// <summary>A test of the published binary; skipped, saying how to build it, when it is not there.</summary>
internal sealed class NativeAgentFactAttribute : FactAttribute
{
    public NativeAgentFactAttribute() => Skip = NativeAgent.Missing;
}

/// <summary>A theory over the published binary; skipped, saying how to build it, when it is not there.</summary>
internal sealed class NativeAgentTheoryAttribute : TheoryAttribute
{
    public NativeAgentTheoryAttribute() => Skip = NativeAgent.Missing;
}
