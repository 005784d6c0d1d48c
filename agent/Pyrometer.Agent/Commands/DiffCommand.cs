using Pyrometer.Agent.Contracts;
using Pyrometer.Rendering.FlameGraph;
using Pyrometer.Rendering.Model;

namespace Pyrometer.Agent.Commands;

/// <summary><c>pyrometer diff BEFORE AFTER -o diff.svg</c>: a differential flamegraph.</summary>
internal static class DiffCommand
{
    public static async Task<int> RunAsync(string before, string after, string output, CancellationToken cancellationToken, bool byPid = false)
    {
        if (ProfileFiles.TryLoad(before, out var error) is not { } first || ProfileFiles.TryLoad(after, out error) is not { } second)
        {
            return await ConvertCommand.UsageAsync(error).ConfigureAwait(false);
        }
        if (!byPid)
        {
            first = IdFolding.WithoutIds(first);
            second = IdFolding.WithoutIds(second);
        }
        if (ProfileFiles.TryWrite(output, file => DiffFlameGraphWriter.Write(first, second, file)) is { } problem)
        {
            return await ConvertCommand.UsageAsync(problem).ConfigureAwait(false);
        }
        await Console.Out.WriteLineAsync($"pyrometer: wrote {output} ({first.TotalSamples:N0} → {second.TotalSamples:N0} samples)").ConfigureAwait(false);
        return (int)AgentExitCode.Ok;
    }
}
