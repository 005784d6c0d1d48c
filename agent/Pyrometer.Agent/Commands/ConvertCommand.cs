using Pyrometer.Agent.Cli;
using Pyrometer.Agent.Contracts;
using Pyrometer.Rendering.Formats;

namespace Pyrometer.Agent.Commands;

/// <summary><c>pyrometer convert IN --format F -o OUT</c>: folded or pprof in, any format out.</summary>
internal static class ConvertCommand
{
    public static async Task<int> RunAsync(string input, string format, string output, CancellationToken cancellationToken)
    {
        if (!ArtifactFormats.IsKnown(format))
        {
            await Console.Error.WriteLineAsync($"pyrometer: unknown format '{format}': use {string.Join(", ", ArtifactFormats.Names)}").ConfigureAwait(false);
            return (int)AgentExitCode.Usage;
        }
        try
        {
            var profile = ProfileLoader.LoadFile(input);
            await using var file = File.Create(output);
            OutputFormats.Find(format).Write(profile, file);
            await Console.Out.WriteLineAsync($"pyrometer: wrote {output} ({format}, {profile.TotalSamples:N0} samples)").ConfigureAwait(false);
            return (int)AgentExitCode.Ok;
        }
        catch (Exception e) when (e is ProfileFormatException or IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"pyrometer: {e.Message}").ConfigureAwait(false);
            return (int)AgentExitCode.Usage;
        }
    }
}
