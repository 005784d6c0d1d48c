namespace Pyrometer.Sampling.Tests.Target;

/// <summary>A fact that starts a target in its own mount namespace: needs root, util-linux unshare and pyenv CPython 3.12.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class MountNamespaceFactAttribute : FactAttribute
{
    public const string Unshare = "/usr/bin/unshare";

    public MountNamespaceFactAttribute()
    {
        if (Environment.UserName != "root")
        {
            Skip = "Creating a mount namespace needs root (CAP_SYS_ADMIN).";
        }
        else if (!File.Exists(Unshare))
        {
            Skip = $"{Unshare} is not present (util-linux).";
        }
        else if (PythonInstalls.PyenvDirectory("3.12") is null)
        {
            Skip = "pyenv CPython 3.12 is not installed under $PYENV_ROOT/versions (default /root/.pyenv).";
        }
    }
}
