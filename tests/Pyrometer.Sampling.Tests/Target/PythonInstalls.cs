using System.Globalization;

namespace Pyrometer.Sampling.Tests.Target;

/// <summary>The CPython builds on this machine that the discovery tests use, found by minor version.</summary>
internal static class PythonInstalls
{
    /// <summary>Debian's static, non-PIE interpreter (package python3.11-minimal).</summary>
    public const string DebianPython311 = "/usr/bin/python3.11";

    private static string PyenvRoot =>
        Environment.GetEnvironmentVariable("PYENV_ROOT") is { Length: > 0 } root ? root : "/root/.pyenv";

    /// <summary>The newest pyenv install of <paramref name="minor"/> (e.g. "3.11"), or null.</summary>
    public static string? PyenvDirectory(string minor)
    {
        var versions = Path.Combine(PyenvRoot, "versions");
        if (!Directory.Exists(versions))
        {
            return null;
        }
        return Directory.GetDirectories(versions, minor + ".*")
            .Where(d => Path.GetFileName(d).Split('.').Length == 3 && int.TryParse(Path.GetFileName(d).Split('.')[2], NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .OrderByDescending(d => int.Parse(Path.GetFileName(d).Split('.')[2], CultureInfo.InvariantCulture))
            .FirstOrDefault();
    }

    /// <summary>pyenv's <c>bin/pythonX.Y</c> for <paramref name="minor"/>, or null.</summary>
    public static string? PyenvExecutable(string minor) =>
        PyenvDirectory(minor) is { } dir && File.Exists(Path.Combine(dir, "bin", "python" + minor))
            ? Path.Combine(dir, "bin", "python" + minor)
            : null;

    /// <summary>pyenv's shared <c>libpythonX.Y[m].so.1.0</c> for <paramref name="minor"/>, or null.</summary>
    public static string? PyenvLibrary(string minor)
    {
        if (PyenvDirectory(minor) is not { } dir)
        {
            return null;
        }
        foreach (var name in (string[])[$"libpython{minor}.so.1.0", $"libpython{minor}m.so.1.0"])
        {
            var path = Path.Combine(dir, "lib", name);
            if (File.Exists(path))
            {
                return path;
            }
        }
        return null;
    }
}
