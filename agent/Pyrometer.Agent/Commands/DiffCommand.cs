using Pyrometer.Agent.Contracts;
using Pyrometer.Rendering.FlameGraph;
using Pyrometer.Rendering.Formats;
using Pyrometer.Rendering.Model;

namespace Pyrometer.Agent.Commands;

/// <summary><c>pyrometer diff BEFORE AFTER -o diff.svg</c>: a differential flamegraph.</summary>
internal static class DiffCommand
{
    public static async Task<int> RunAsync(string before, string after, string output, CancellationToken cancellationToken, bool byPid = false)
    {
        try
        {
            var first = ProfileLoader.LoadFile(before);
            var second = ProfileLoader.LoadFile(after);
            if (!byPid)
            {
                first = IdFolding.WithoutIds(first);
                second = IdFolding.WithoutIds(second);
            }
            await using var file = File.Create(output);
            DiffFlameGraphWriter.Write(first, second, file);
            await Console.Out.WriteLineAsync($"pyrometer: wrote {output} ({first.TotalSamples:N0} → {second.TotalSamples:N0} samples)").ConfigureAwait(false);
            return (int)AgentExitCode.Ok;
        }
        catch (Exception e) when (e is ProfileFormatException or IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"pyrometer: {e.Message}").ConfigureAwait(false);
            return (int)AgentExitCode.Usage;
        }
    }
}
