using System.Diagnostics;

namespace Pyrometer.EndToEnd.Tests.Support;

/// <summary>The outcome of a finished command.</summary>
internal sealed record CommandResult(string Command, int ExitCode, string Stdout, string Stderr)
{
    public CommandResult EnsureSuccess() => ExitCode == 0
        ? this
        : throw new InvalidOperationException($"`{Command}` exited {ExitCode}: {Stderr.Trim()} {Stdout.Trim()}");
}

/// <summary>Runs a program to completion with a timeout, capturing its output.</summary>
internal static class Command
{
    public static async Task<CommandResult> RunAsync(
        string program, IEnumerable<string> arguments, string? stdin = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        var text = $"{program} {string.Join(' ', info.ArgumentList)}";
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {text}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{text}` did not finish within {timeout ?? TimeSpan.FromMinutes(2)}");
        }
        return new CommandResult(text, process.ExitCode, await stdout, await stderr);
    }
}
