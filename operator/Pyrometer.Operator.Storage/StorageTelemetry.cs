using System.Diagnostics;

namespace Pyrometer.Operator.Storage;

/// <summary>The trace source of artifact storage: agents' uploads received and profiles the operator writes.</summary>
public static class StorageTelemetry
{
    /// <summary>The activity source's name, to subscribe to (e.g. with OpenTelemetry's AddSource).</summary>
    public const string Name = "Pyrometer.Operator.Storage";

    /// <summary>The artifact's path in the store (<c>namespace/request/pod/format.ext</c>), checked before it is tagged.</summary>
    public const string PathTag = "pyrometer.artifact.path";

    /// <summary>The source every storage span starts from.</summary>
    public static ActivitySource Source { get; } = new(Name);

    /// <summary>Starts the span of one artifact upload; <paramref name="path"/>, when known, is the artifact's checked path.</summary>
    public static Activity? StartUpload(string name, ActivityKind kind, string? path)
    {
        var activity = Source.StartActivity(name, kind);
        if (path is not null)
        {
            activity?.SetTag(PathTag, path);
        }
        return activity;
    }
}
