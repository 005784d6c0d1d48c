using System.Runtime.CompilerServices;

namespace Pyrometer.Operator.Tests;

/// <summary>Finds the repository from this source file's path (test binaries may live under any artifacts path).</summary>
internal static class RepoPaths
{
    public static string Root => FindRoot(ThisFile());

    public static string Crds => Path.Combine(Root, "crds");

    private static string ThisFile([CallerFilePath] string path = "") => path;

    private static string FindRoot(string start)
    {
        for (var dir = Path.GetDirectoryName(start); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "Pyrometer.slnx")))
            {
                return dir;
            }
        }
        throw new InvalidOperationException($"No Pyrometer.slnx above {start}.");
    }
}
