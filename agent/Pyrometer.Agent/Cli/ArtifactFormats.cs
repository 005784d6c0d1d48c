using Pyrometer.Rendering.Formats;
using Pyrometer.Rendering.Model;

namespace Pyrometer.Agent.Cli;

/// <summary>The output formats as the agent names and writes them (over the renderers' registry).</summary>
internal static class ArtifactFormats
{
    public static IEnumerable<string> Names => OutputFormats.All.Select(f => f.Name);

    public static bool IsKnown(string name) => OutputFormats.TryFind(name, out _);

    /// <summary>The file extension with its leading dot, e.g. <c>.svg</c>.</summary>
    public static string Extension(string name) => "." + OutputFormats.Find(name).Extension;

    public static string ContentType(string name) => OutputFormats.Find(name).ContentType;

    public static void Write(string name, Profile profile, RecordSettings settings, Stream output)
    {
        OutputFormats.Find(name).Write(profile, output, settings.View.ToRenderOptions(perThread: settings.Threads));
    }
}
