namespace Pyrometer.Operator.Controllers;

/// <summary>What a reconcile does about the <see cref="ArtifactFinalizer"/> before anything else.</summary>
internal enum FinalizerStep
{
    /// <summary>Nothing: the finalizer is where the configuration wants it.</summary>
    None,

    /// <summary>Add the finalizer (retention on, request not being deleted).</summary>
    Add,

    /// <summary>Remove the finalizer without touching the artifacts (retention turned off).</summary>
    Remove,

    /// <summary>The request is being deleted: delete its artifacts, release its capacity, then remove the finalizer.</summary>
    Finalize,
}
