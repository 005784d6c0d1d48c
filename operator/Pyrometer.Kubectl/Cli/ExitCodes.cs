namespace Pyrometer.Kubectl.Cli;

/// <summary>The plugin's exit codes; <see cref="Regressed"/> is distinct so a CI step can gate on it.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The request failed, or the cluster refused or lacked something.</summary>
    public const int Failed = 1;

    /// <summary>Bad arguments: nothing was sent to the cluster.</summary>
    public const int Usage = 2;

    /// <summary>The request succeeded and its Regressed condition is True.</summary>
    public const int Regressed = 3;

    /// <summary>Ctrl-C: 128 + SIGINT, as shells report it.</summary>
    public const int Interrupted = 130;
}
