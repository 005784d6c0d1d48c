using System.Runtime.CompilerServices;

namespace Pyrometer.Rendering.Tests.Support;

/// <summary>Where the test sources, the repository and the shared data live, found from this file's own path.</summary>
internal static class TestPaths
{
    public static string ProjectDirectory { get; } = Path.GetDirectoryName(Path.GetDirectoryName(ThisFile())!)!;

    public static string RepositoryRoot { get; } = Path.GetFullPath(Path.Combine(ProjectDirectory, "..", ".."));

    /// <summary>speedscope's schema is shared test data outside the repository: <c>../shared/data/</c> from its root.</summary>
    public static string SpeedscopeSchema { get; } = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data", "speedscope-file-format-schema.json"));

    public static string Golden(string caseName) => Path.Combine(ProjectDirectory, "Golden", caseName);

    private static string ThisFile([CallerFilePath] string path = "") => path;
}
