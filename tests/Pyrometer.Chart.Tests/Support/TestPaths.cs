using System.Runtime.CompilerServices;

namespace Pyrometer.Chart.Tests.Support;

/// <summary>Where the repository's files are, found from this source file's own path.</summary>
internal static class TestPaths
{
    public static string ProjectDirectory { get; } = Path.GetDirectoryName(Path.GetDirectoryName(ThisFile())!)!;

    public static string RepositoryRoot { get; } = Path.GetFullPath(Path.Combine(ProjectDirectory, "..", ".."));

    public static string Chart { get; } = Path.Combine(RepositoryRoot, "charts", "pyrometer");

    public static string Asset(string name) => Path.Combine(ProjectDirectory, "Assets", name);

    public static string InRepository(string relative) => Path.Combine(RepositoryRoot, relative);

    private static string ThisFile([CallerFilePath] string path = "") => path;
}
