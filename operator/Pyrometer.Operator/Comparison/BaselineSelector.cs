using Pyrometer.Kube.Api;
using Pyrometer.Operator.Api.V1Alpha1;

namespace Pyrometer.Operator.Comparison;

/// <summary>
/// Which earlier request <c>baseline: latest</c> means (pure): the Succeeded one, other than this request, that
/// finished last and profiled the same target — the same pod name, the same selector, or a pod of the same
/// workload — in the same container and mode.
/// </summary>
internal static class BaselineSelector
{
    public static ProfileRequest? PickLatest(ProfileRequest request, IReadOnlyList<TargetStatus> targets, IEnumerable<ProfileRequest> candidates)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(candidates);
        return candidates
            .Where(c => !IsSelf(request, c)
                && c.Metadata.NamespaceProperty == request.Metadata.NamespaceProperty
                && c.Status is { Phase: ProfilePhases.Succeeded, CompletionTime: not null }
                && SameTarget(request, targets, c))
            .OrderByDescending(c => c.Status!.CompletionTime)
            .ThenByDescending(c => c.Metadata.CreationTimestamp)
            .ThenByDescending(c => c.Metadata.Name, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    /// <summary>Whether <paramref name="other"/> profiled what this request profiled (see the class summary).</summary>
    public static bool SameTarget(ProfileRequest request, IReadOnlyList<TargetStatus> targets, ProfileRequest other)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(other);
        if (!string.Equals(request.Spec.Mode, other.Spec.Mode, StringComparison.Ordinal))
        {
            return false;
        }
        var theirs = other.Status?.Targets ?? [];
        if (!targets.Any(t => theirs.Any(o => o.Container == t.Container)))
        {
            return false;
        }
        var mine = request.Spec.Target;
        var their = other.Spec.Target;
        if (mine.Pod is { Length: > 0 } pod && their.Pod == pod)
        {
            return true;
        }
        if (mine.Selector is not null && their.Selector is not null && SelectorText(mine) is { } selector && selector == SelectorText(other.Spec.Target))
        {
            return true;
        }
        return targets.Any(t => t.Owner is not null && theirs.Any(o => t.Owner.SameAs(o.Owner)));
    }

    /// <summary>What <c>latest</c> looked for, for the message when nothing matched.</summary>
    public static string Describe(ProfileRequest request, IReadOnlyList<TargetStatus> targets)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(targets);
        var parts = new List<string>();
        if (request.Spec.Target.Pod is { Length: > 0 } pod)
        {
            parts.Add("pod " + pod);
        }
        if (SelectorText(request.Spec.Target) is { } selector)
        {
            parts.Add($"selector '{selector}'");
        }
        parts.AddRange(targets.Where(t => t.Owner is not null).Select(t => t.Owner!.ToString()).Distinct(StringComparer.Ordinal));
        var containers = string.Join(", ", targets.Select(t => t.Container).Distinct(StringComparer.Ordinal));
        return $"{string.Join(" or ", parts)}, container {containers}, mode {request.Spec.Mode}";
    }

    private static bool IsSelf(ProfileRequest request, ProfileRequest other) =>
        other.Metadata.Name == request.Metadata.Name
        || (request.Metadata.Uid is { Length: > 0 } uid && other.Metadata.Uid == uid);

    private static string? SelectorText(ProfileTarget target)
    {
        try
        {
            return target.Selector?.ToSelectorString();
        }
        catch (FormatException)
        {
            return null;   // an invalid selector matches nothing
        }
    }
}
