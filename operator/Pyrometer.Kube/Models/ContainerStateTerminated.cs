namespace Pyrometer.Kube.Models;

/// <summary>A container that exited.</summary>
public sealed class ContainerStateTerminated
{
    /// <summary>The process's exit code.</summary>
    public int ExitCode { get; set; }

    /// <summary>The signal that killed it, if any.</summary>
    public int? Signal { get; set; }

    /// <summary>Why it exited, e.g. <c>Completed</c>, <c>Error</c>, <c>OOMKilled</c>.</summary>
    public string? Reason { get; set; }

    /// <summary>The termination message the container wrote.</summary>
    public string? Message { get; set; }

    /// <summary>When it started.</summary>
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>When it exited.</summary>
    public DateTimeOffset? FinishedAt { get; set; }
}
