namespace Pyrometer.EndToEnd.Tests.Support;

/// <summary>A fact that needs the cluster hack/e2e.sh prepares; skipped, with the reason, anywhere else.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class EndToEndFactAttribute : FactAttribute
{
    public EndToEndFactAttribute()
    {
        if (!EndToEndEnvironment.Enabled)
        {
            Skip = EndToEndEnvironment.SkipReason;
        }
    }
}
