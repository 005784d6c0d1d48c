namespace Pyrometer.Rendering.Tests.Support;

/// <summary>A fact that skips itself, saying why, when speedscope's schema is not beside the repository.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SpeedscopeSchemaFactAttribute : FactAttribute
{
    public SpeedscopeSchemaFactAttribute()
    {
        if (!File.Exists(TestPaths.SpeedscopeSchema))
        {
            Skip = $"speedscope's schema is not at {TestPaths.SpeedscopeSchema}; the structural speedscope tests still run.";
        }
    }
}
