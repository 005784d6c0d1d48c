using System.Reflection;

namespace Pyrometer.Operator.Storage.Tests.Support;

/// <summary>Paths in the repository the tests were built from.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = typeof(RepositoryPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;

    public static string S3ServerScript => Path.Combine(Root, "hack", "lib", "s3-server.sh");
}
