namespace Pyrometer.Agent.Contracts;

/// <summary>
/// Tells the service's own code from the interpreter's standard library and installed packages, by the
/// file a frame's code came from, so a report can name the service function that called the slow code.
/// </summary>
public static class ServiceCode
{
    /// <summary>False for site-packages, dist-packages, the standard library and frozen or generated code.</summary>
    public static bool IsService(string file)
    {
        if (file.Length == 0 || file[0] == '<')
        {
            return false;                            // <frozen importlib._bootstrap>, <string>
        }
        if (file.Contains("/site-packages/", StringComparison.Ordinal) || file.Contains("/dist-packages/", StringComparison.Ordinal))
        {
            return false;
        }
        // The standard library: …/lib/python3.N/module.py (lib64 on some distributions).
        var lib = file.IndexOf("/lib/python3", StringComparison.Ordinal);
        if (lib < 0)
        {
            lib = file.IndexOf("/lib64/python3", StringComparison.Ordinal);
        }
        return lib < 0;
    }

    /// <summary>The file of a <c>function (file:line)</c> or <c>function (file)</c> frame text, else "".</summary>
    public static string FileOf(string frame)
    {
        var open = frame.IndexOf(" (", StringComparison.Ordinal);   // qualified names have no " (", file names might
        if (open < 0 || !frame.EndsWith(')'))
        {
            return "";
        }
        var location = frame[(open + 2)..^1];
        var colon = location.LastIndexOf(':');
        return colon > 0 && location[(colon + 1)..].All(char.IsAsciiDigit) ? location[..colon] : location;
    }
}
