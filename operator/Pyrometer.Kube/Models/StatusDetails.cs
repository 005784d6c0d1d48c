namespace Pyrometer.Kube.Models;

/// <summary><c>metav1.StatusDetails</c>.</summary>
public sealed class StatusDetails
{
    /// <summary>The name of the object involved.</summary>
    public string? Name { get; set; }

    /// <summary>The API group of the object involved.</summary>
    public string? Group { get; set; }

    /// <summary>The kind (or plural resource) of the object involved.</summary>
    public string? Kind { get; set; }

    /// <summary>The UID of the object involved.</summary>
    public string? Uid { get; set; }

    /// <summary>Individual causes, e.g. one per invalid field.</summary>
    public List<StatusCause>? Causes { get; set; }

    /// <summary>How long the server suggests waiting before retrying.</summary>
    public int? RetryAfterSeconds { get; set; }
}
