using System.Text.Json.Serialization;
using Pyrometer.Kube.Serialization;

namespace Pyrometer.Kube.Models;

/// <summary>A subset of the core v1 Event, which every API server version serves.</summary>
public sealed class CoreEvent : IKubeResource
{
    /// <inheritdoc />
    public string? ApiVersion { get; set; } = "v1";

    /// <inheritdoc />
    public string? Kind { get; set; } = "Event";

    /// <inheritdoc />
    public ObjectMeta Metadata { get; set; } = new();

    /// <summary>The object this event is about.</summary>
    public ObjectReference InvolvedObject { get; set; } = new();

    /// <summary>Machine-readable reason, PascalCase, e.g. <c>Injected</c>.</summary>
    public string? Reason { get; set; }

    /// <summary>Human-readable description.</summary>
    public string? Message { get; set; }

    /// <summary><c>Normal</c> or <c>Warning</c>.</summary>
    public string? Type { get; set; }

    /// <summary>What was attempted, e.g. <c>Inject</c>.</summary>
    public string? Action { get; set; }

    /// <summary>The component that emitted the event.</summary>
    public EventSource? Source { get; set; }

    /// <summary>The controller that emitted the event, e.g. <c>pyrometer.dev/operator</c>.</summary>
    public string? ReportingComponent { get; set; }

    /// <summary>The instance (pod) of the controller that emitted the event.</summary>
    public string? ReportingInstance { get; set; }

    /// <summary>When the event was first seen.</summary>
    public DateTimeOffset? FirstTimestamp { get; set; }

    /// <summary>When the event was last seen.</summary>
    public DateTimeOffset? LastTimestamp { get; set; }

    /// <summary>When the event happened, with microsecond precision.</summary>
    [JsonConverter(typeof(MicroTimeConverter))]
    public DateTimeOffset? EventTime { get; set; }

    /// <summary>How many times it happened.</summary>
    public int? Count { get; set; }
}
