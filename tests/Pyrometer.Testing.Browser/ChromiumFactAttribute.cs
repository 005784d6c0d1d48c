using Xunit;

namespace Pyrometer.Testing.Browser;

/// <summary>A fact that skips itself, saying why, when no headless Chromium is installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Chromium.FindExecutable() is null)
        {
            Skip = "Chromium is not installed (looked for chromium, chromium-browser, google-chrome on PATH); on Debian: apt-get install -y chromium.";
        }
    }
}
