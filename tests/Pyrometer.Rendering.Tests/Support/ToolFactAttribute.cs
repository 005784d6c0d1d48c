namespace Pyrometer.Rendering.Tests.Support;

/// <summary>A fact that skips itself, saying why, when a command-line tool is not on the PATH.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(string tool)
    {
        Tool = tool;
        if (Tools.Find(tool) is null)
        {
            Skip = $"'{tool}' is not installed (not found on PATH), so this check cannot run here.";
        }
    }

    public string Tool { get; }
}
