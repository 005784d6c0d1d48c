using Pyrometer.Rendering.Model;

namespace Pyrometer.Rendering.Formats;

/// <summary>One output format: its name on the command line, file extension, HTTP content type and writer.</summary>
public sealed class OutputFormat
{
    private readonly Action<Profile, Stream, RenderOptions> _write;

    internal OutputFormat(string name, string extension, string contentType, Action<Profile, Stream, RenderOptions> write)
    {
        Name = name;
        Extension = extension;
        ContentType = contentType;
        _write = write;
    }

    /// <summary>The name users type: <c>flamegraph</c>, <c>speedscope</c>, <c>folded</c>, <c>pprof</c>.</summary>
    public string Name { get; }

    /// <summary>The file extension without a leading dot, e.g. <c>svg</c> or <c>pb.gz</c>.</summary>
    public string Extension { get; }

    /// <summary>The HTTP content type of the written bytes.</summary>
    public string ContentType { get; }

    /// <summary>Writes <paramref name="profile"/> to <paramref name="output"/>; the same input gives the same bytes.</summary>
    public void Write(Profile profile, Stream output, RenderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(output);
        _write(profile, output, options ?? RenderOptions.Default);
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
