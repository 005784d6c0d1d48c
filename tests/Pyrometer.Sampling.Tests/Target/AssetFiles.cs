namespace Pyrometer.Sampling.Tests.Target;

/// <summary>Paths of the hand-written input files under Assets/, copied beside the test assembly.</summary>
internal static class AssetFiles
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Assets", name);

    public static string Read(string name) => File.ReadAllText(PathOf(name));
}
