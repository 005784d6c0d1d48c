namespace Pyrometer.Sampling.Tests.Target;

/// <summary>A fact that needs a file (e.g. /usr/bin/python3.11) and skips itself, saying so, when it is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class FileFactAttribute : FactAttribute
{
    public FileFactAttribute(string path, string hint)
    {
        Path = path;
        if (!File.Exists(path))
        {
            Skip = $"{path} is not present ({hint}).";
        }
    }

    public string Path { get; }
}
