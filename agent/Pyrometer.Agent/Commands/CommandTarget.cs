using Pyrometer.Agent.Cli;
using Pyrometer.Agent.Session;
using Pyrometer.Sampling.Target;

namespace Pyrometer.Agent.Commands;

/// <summary>Target selection for <c>top</c> and <c>dump</c>: the resolver <c>record</c> uses, its notices and errors on stderr.</summary>
internal static class CommandTarget
{
    /// <summary>The root PID, or null after the error was printed, with the exit code to return.</summary>
    public static int? Resolve(TargetSelector selector, bool subprocesses, TextWriter log, out int exitCode)
    {
        exitCode = 0;
        var root = new TargetResolver(ProcFs.Default, message => log.WriteLine("pyrometer: " + message))
            .Resolve(selector, out _, out var code, out var error, subprocesses);
        if (root is null)
        {
            log.WriteLine("pyrometer: " + error);
            exitCode = (int)OutcomeClassifier.ExitCode(code);
        }
        return root;
    }
}
