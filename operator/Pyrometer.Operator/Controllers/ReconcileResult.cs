namespace Pyrometer.Operator.Controllers;

/// <summary>What a reconcile asks of the queue: nothing more, or another look after a delay.</summary>
internal readonly record struct ReconcileResult(TimeSpan? RequeueAfter, bool ReleasedCapacity = false)
{
    public static ReconcileResult Done { get; } = new(null);

    public static ReconcileResult After(TimeSpan delay) => new(delay < TimeSpan.Zero ? TimeSpan.Zero : delay);
}
