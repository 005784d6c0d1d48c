using Pyrometer.Agent.Cli;
using Pyrometer.Agent.Session;
using Pyrometer.Sampling.Sampling;
using Pyrometer.Sampling.Target;

namespace Pyrometer.Agent.Commands;

/// <summary><c>pyrometer record</c>.</summary>
internal static class RecordCommand
{
    public static Task<int> RunAsync(RecordSettings settings, CancellationToken cancellationToken) =>
        new RecordSession(settings, PythonProcessProbe.Create(settings.Blocking), ProcFs.Default, Console.Error).RunAsync(cancellationToken);
}
