using Pyrometer.Kubectl.Cli;

namespace Pyrometer.Kubectl.Kube;

/// <summary>A failure with a one-line message for people; the command prints it and exits with <see cref="ExitCode"/>.</summary>
internal sealed class PluginException : Exception
{
    public PluginException(string message, int exitCode = ExitCodes.Failed)
        : base(message)
    {
        ExitCode = exitCode;
    }

    public PluginException(string message, Exception innerException)
        : base(message, innerException)
    {
        ExitCode = ExitCodes.Failed;
    }

    public PluginException()
        : this("the kubectl plugin failed")
    {
    }

    public PluginException(string message)
        : this(message, ExitCodes.Failed)
    {
    }

    public int ExitCode { get; }
}
