using Pyrometer.Agent.Cli;
using Pyrometer.Agent.Contracts;
using Pyrometer.Rendering.Formats;

namespace Pyrometer.Agent.Commands;

/// <summary><c>pyrometer convert IN --format F -o OUT</c>: folded or pprof in, any format out.</summary>
internal static class ConvertCommand
{
    public static async Task<int> RunAsync(string input, string format, string output, CancellationToken cancellationToken, ViewSettings? view = null)
    {
        if (!ArtifactFormats.IsKnown(format))
        {
            return await UsageAsync($"unknown format '{format}': use {string.Join(", ", ArtifactFormats.Names)}").ConfigureAwait(false);
        }
        if (ProfileFiles.TryLoad(input, out var error) is not { } profile)
        {
            return await UsageAsync(error).ConfigureAwait(false);
        }
        if (ProfileFiles.TryWrite(output, file => OutputFormats.Find(format).Write(profile, file, (view ?? ViewSettings.Default).ToRenderOptions(perThread: true))) is { } problem)
        {
            return await UsageAsync(problem).ConfigureAwait(false);
        }
        await Console.Out.WriteLineAsync($"pyrometer: wrote {output} ({format}, {profile.TotalSamples:N0} samples)").ConfigureAwait(false);
        return (int)AgentExitCode.Ok;
    }

    internal static async Task<int> UsageAsync(string message)
    {
        await Console.Error.WriteLineAsync($"pyrometer: {message}").ConfigureAwait(false);
        return (int)AgentExitCode.Usage;
    }
}
