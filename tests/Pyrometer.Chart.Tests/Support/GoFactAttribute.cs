namespace Pyrometer.Chart.Tests.Support;

/// <summary>A fact that needs hack/chart-render, so the Go toolchain; skips itself, saying why, without it.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class GoFactAttribute : FactAttribute
{
    public GoFactAttribute()
    {
        if (ChartRenderer.FindGo() is null)
        {
            Skip = "'go' is not on PATH, so hack/chart-render cannot run (apt-get install golang-go).";
        }
    }
}
