namespace Pyrometer.Sampling.Tests.Live;

/// <summary>A fact that starts targets in a new PID namespace with util-linux unshare: needs root (CAP_SYS_ADMIN).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PidNamespaceFactAttribute : FactAttribute
{
    public const string Unshare = "/usr/bin/unshare";

    public PidNamespaceFactAttribute()
    {
        if (Environment.UserName != "root")
        {
            Skip = "Creating a PID namespace needs root (CAP_SYS_ADMIN).";
        }
        else if (!File.Exists(Unshare))
        {
            Skip = $"{Unshare} is not present (util-linux).";
        }
    }
}
