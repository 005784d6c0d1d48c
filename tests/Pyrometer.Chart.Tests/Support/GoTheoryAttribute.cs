namespace Pyrometer.Chart.Tests.Support;

/// <summary>A theory that needs hack/chart-render; skips itself, saying why, when Go is missing.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class GoTheoryAttribute : TheoryAttribute
{
    public GoTheoryAttribute()
    {
        if (ChartRenderer.FindGo() is null)
        {
            Skip = "'go' is not on PATH, so hack/chart-render cannot run (apt-get install golang-go).";
        }
    }
}
