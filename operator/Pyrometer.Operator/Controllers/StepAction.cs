namespace Pyrometer.Operator.Controllers;

/// <summary>The one side effect a reconcile performs after deciding.</summary>
internal enum StepAction
{
    /// <summary>Only the status changes (or nothing).</summary>
    None,

    /// <summary>Take concurrency slots for the chosen targets.</summary>
    Reserve,

    /// <summary>Presign uploads and add the agent to <see cref="NextStep.InjectTarget"/>'s pod.</summary>
    Inject,

    /// <summary>Merge the per-pod profiles into pod "" artifacts.</summary>
    Merge,

    /// <summary>Compare the finished profile with <c>spec.baseline</c>'s and store the diff artifacts.</summary>
    Compare,

    /// <summary>The TTL ran out: delete the request and its artifacts.</summary>
    Delete,
}
