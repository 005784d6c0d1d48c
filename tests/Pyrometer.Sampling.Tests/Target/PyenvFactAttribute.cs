namespace Pyrometer.Sampling.Tests.Target;

/// <summary>A fact that needs pyenv's CPython <c>Minor</c> (e.g. "3.12") and skips itself, saying so, when it is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class PyenvFactAttribute : FactAttribute
{
    public PyenvFactAttribute(string minor)
    {
        Minor = minor;
        if (PythonInstalls.PyenvExecutable(minor) is null || PythonInstalls.PyenvLibrary(minor) is null)
        {
            Skip = $"pyenv CPython {minor} with a shared libpython is not installed under $PYENV_ROOT/versions (default /root/.pyenv).";
        }
    }

    public string Minor { get; }
}
