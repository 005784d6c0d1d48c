using System.Text.Json.Serialization;

namespace Pyrometer.Kube.Models;

/// <summary><c>metav1.Status</c>: how the API server describes a failed call.</summary>
public sealed class Status
{
    /// <summary>Always <c>v1</c>.</summary>
    public string? ApiVersion { get; set; }

    /// <summary>Always <c>Status</c>.</summary>
    public string? Kind { get; set; }

    /// <summary><c>Success</c> or <c>Failure</c>.</summary>
    [JsonPropertyName("status")]
    public string? Outcome { get; set; }

    /// <summary>Human-readable description.</summary>
    public string? Message { get; set; }

    /// <summary>Machine-readable reason, e.g. <c>NotFound</c>, <c>Conflict</c>, <c>Expired</c>.</summary>
    public string? Reason { get; set; }

    /// <summary>The HTTP status code this status stands for.</summary>
    public int? Code { get; set; }

    /// <summary>Extra data about the failure.</summary>
    public StatusDetails? Details { get; set; }
}
