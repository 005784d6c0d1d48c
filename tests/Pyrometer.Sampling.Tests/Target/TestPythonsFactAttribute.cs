namespace Pyrometer.Sampling.Tests.Target;

/// <summary>A fact over every listed test interpreter; skips itself when none is listed.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class TestPythonsFactAttribute : FactAttribute
{
    public TestPythonsFactAttribute()
    {
        if (TestPythons.List().Count == 0)
        {
            Skip = "No test interpreters: set PYROMETER_TEST_PYTHONS or run hack/install-test-deps.sh (writes $PYROMETER_CACHE/pythons.tsv).";
        }
    }
}
