using System.Text.Json.Serialization;
using Pyrometer.Kube.Serialization;

namespace Pyrometer.Kube.Models;

/// <summary>The holder and timing of a Lease.</summary>
public sealed class LeaseSpec
{
    /// <summary>The current holder's identity; empty when released.</summary>
    public string? HolderIdentity { get; set; }

    /// <summary>How long the holder owns the lease after its last renewal.</summary>
    public int? LeaseDurationSeconds { get; set; }

    /// <summary>When the current holder acquired the lease.</summary>
    [JsonConverter(typeof(MicroTimeConverter))]
    public DateTimeOffset? AcquireTime { get; set; }

    /// <summary>When the current holder last renewed the lease.</summary>
    [JsonConverter(typeof(MicroTimeConverter))]
    public DateTimeOffset? RenewTime { get; set; }

    /// <summary>How many times the lease changed hands.</summary>
    public int? LeaseTransitions { get; set; }
}
