namespace Pyrometer.Kube.Models;

/// <summary><c>metav1.StatusCause</c>: one reason a call failed.</summary>
public sealed class StatusCause
{
    /// <summary>Machine-readable cause, e.g. <c>FieldValueInvalid</c>.</summary>
    public string? Reason { get; set; }

    /// <summary>Human-readable description.</summary>
    public string? Message { get; set; }

    /// <summary>The field path involved, e.g. <c>spec.duration</c>.</summary>
    public string? Field { get; set; }
}
