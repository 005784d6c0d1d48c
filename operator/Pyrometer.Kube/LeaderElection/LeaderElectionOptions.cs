using System.ComponentModel.DataAnnotations;

namespace Pyrometer.Kube.LeaderElection;

/// <summary>Settings of the Lease-based leader election.</summary>
public sealed class LeaderElectionOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "LeaderElection";

    /// <summary>The Lease's name.</summary>
    [Required]
    public string LeaseName { get; set; } = "pyrometer-operator";

    /// <summary>The Lease's namespace (the operator's own).</summary>
    [Required]
    public string LeaseNamespace { get; set; } = "default";

    /// <summary>This replica's identity; null for the pod name (HOSTNAME) plus a random suffix.</summary>
    public string? Identity { get; set; }

    /// <summary>How long followers wait, after the last renewal they saw, before taking over.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps trying to renew before giving up leadership.</summary>
    public TimeSpan RenewDeadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The pause between acquire or renew attempts.</summary>
    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(2);

    internal void Validate()
    {
        // The same invariants client-go enforces: a leader must notice its loss before anyone else
        // may take over, and must get several attempts to renew.
        if (string.IsNullOrWhiteSpace(LeaseName) || string.IsNullOrWhiteSpace(LeaseNamespace) ||
            RetryPeriod <= TimeSpan.Zero || RenewDeadline <= RetryPeriod || LeaseDuration <= RenewDeadline)
        {
            throw new ArgumentException(
                "Invalid LeaderElectionOptions: LeaseName and LeaseNamespace are required and 0 < RetryPeriod < RenewDeadline < LeaseDuration.");
        }
    }
}
