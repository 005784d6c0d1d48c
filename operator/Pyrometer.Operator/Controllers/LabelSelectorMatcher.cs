using k8s.Models;

namespace Pyrometer.Operator.Controllers;

/// <summary>Evaluates a metav1.LabelSelector against a pod's labels (pure), to map pod changes back to requests.</summary>
internal static class LabelSelectorMatcher
{
    public static bool Matches(V1LabelSelector selector, IDictionary<string, string>? labels)
    {
        ArgumentNullException.ThrowIfNull(selector);
        labels ??= new Dictionary<string, string>();
        foreach (var (key, value) in selector.MatchLabels ?? new Dictionary<string, string>())
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }
        foreach (var requirement in selector.MatchExpressions ?? [])
        {
            var has = labels.TryGetValue(requirement.Key, out var actual);
            var values = requirement.Values ?? [];
            var ok = requirement.OperatorProperty switch
            {
                "In" => has && values.Contains(actual!, StringComparer.Ordinal),
                "NotIn" => !has || !values.Contains(actual!, StringComparer.Ordinal),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }
}
