namespace Pyrometer.Sampling.Tests.Target;

/// <summary>A fact that needs files (e.g. /usr/bin/python3.11) and skips itself, naming the missing one, when absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class FileFactAttribute : FactAttribute
{
    public FileFactAttribute(string hint, params string[] paths)
    {
        Paths = paths;
        if (paths.FirstOrDefault(path => !File.Exists(path)) is { } missing)
        {
            Skip = $"{missing} is not present ({hint}).";
        }
    }

    public IReadOnlyList<string> Paths { get; }
}
