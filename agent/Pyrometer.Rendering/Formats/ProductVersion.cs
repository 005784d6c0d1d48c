using System.Reflection;

namespace Pyrometer.Rendering.Formats;

/// <summary>The version written into outputs (speedscope's <c>exporter</c>), from the assembly, without the commit suffix.</summary>
internal static class ProductVersion
{
    public static string Current { get; } = Read();

    private static string Read()
    {
        var version = typeof(ProductVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
