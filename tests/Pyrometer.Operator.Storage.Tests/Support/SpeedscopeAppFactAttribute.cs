using Pyrometer.Testing.Browser;

namespace Pyrometer.Operator.Storage.Tests.Support;

/// <summary>A fact that skips itself, saying why, without Chromium or the speedscope app.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SpeedscopeAppFactAttribute : FactAttribute
{
    public SpeedscopeAppFactAttribute()
    {
        if (Chromium.FindExecutable() is null)
        {
            Skip = "Chromium is not installed; on Debian: apt-get install -y chromium.";
        }
        else if (SpeedscopeApp.Directory is null)
        {
            Skip = $"the speedscope {SpeedscopeApp.Version} app is not installed: run hack/install-test-deps.sh (npm install speedscope).";
        }
    }
}
