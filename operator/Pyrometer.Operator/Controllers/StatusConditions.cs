using Pyrometer.Operator.Api.V1Alpha1;

namespace Pyrometer.Operator.Controllers;

/// <summary>Sets the kstatus conditions from phase and reason, keeping transition times of unchanged conditions (pure).</summary>
internal static class StatusConditions
{
    public const string LegacyMessage =
        "The API server is 1.20/1.21 (legacy EphemeralContainers API), which forbids a securityContext on ephemeral containers: " +
        "the agent runs without SYS_PTRACE, so it can only read the target if it runs as the target's uid and the node's " +
        "kernel.yama.ptrace_scope is 0.";

    /// <param name="regressed">The Regressed condition (only with spec.baseline, once compared); kept as given.</param>
    public static List<Condition> Build(
        ProfileRequestStatus status, IReadOnlyList<Condition>? previous, long? generation, DateTimeOffset now, bool legacy, Condition? regressed = null)
    {
        ArgumentNullException.ThrowIfNull(status);
        var reason = status.Reason ?? Conditions.Accepted;
        var message = status.Message ?? "";
        var active = status.Phase is ProfilePhases.Pending or ProfilePhases.Running or null;
        var conditions = new List<Condition>
        {
            Make(Conditions.Ready, status.Phase == ProfilePhases.Succeeded, reason, message),
            Make(Conditions.Reconciling, active, reason, message),
            Make(Conditions.Stalled, status.Phase == ProfilePhases.Failed, reason, message),
        };
        if (legacy)
        {
            conditions.Add(Make(Conditions.LegacyEphemeralContainers, true, Conditions.LegacyEphemeralContainers, LegacyMessage));
        }
        if (regressed is not null)
        {
            conditions.Add(new Condition { Type = Conditions.Regressed, Status = regressed.Status, Reason = regressed.Reason, Message = regressed.Message });
        }
        foreach (var condition in conditions)
        {
            condition.ObservedGeneration = generation;
            var old = previous?.FirstOrDefault(c => c.Type == condition.Type);
            condition.LastTransitionTime = old is not null && old.Status == condition.Status ? old.LastTransitionTime ?? now : now;
        }
        return conditions;
    }

    private static Condition Make(string type, bool value, string reason, string message) => new()
    {
        Type = type,
        Status = value ? Condition.True : Condition.False,
        Reason = reason,
        Message = message,
    };
}
