using System.Text;
using k8s.Models;

namespace Pyrometer.Kube.Api;

/// <summary>Renders a <c>metav1.LabelSelector</c> for the <c>labelSelector=</c> query parameter.</summary>
public static class LabelSelectorExtensions
{
    /// <summary>
    /// Renders the selector in the query-string syntax of <c>labelSelector=</c>, e.g.
    /// <c>app=api,tier in (a,b),!legacy</c>. Terms are sorted so equal selectors give equal strings.
    /// An empty selector gives an empty string, which matches everything.
    /// </summary>
    /// <param name="selector">Equality labels and set-based expressions, all ANDed.</param>
    /// <exception cref="FormatException">A requirement has an unknown operator, or values that contradict its operator.</exception>
    public static string ToSelectorString(this V1LabelSelector selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        var terms = new List<string>();
        foreach (var (key, value) in selector.MatchLabels ?? new Dictionary<string, string>())
        {
            RequireKey(key);
            terms.Add(key + "=" + value);
        }
        foreach (var requirement in selector.MatchExpressions ?? [])
        {
            terms.Add(Render(requirement));
        }
        terms.Sort(StringComparer.Ordinal);
        return string.Join(',', terms);
    }

    private static string Render(V1LabelSelectorRequirement requirement)
    {
        RequireKey(requirement.Key);
        var values = requirement.Values ?? [];
        switch (requirement.OperatorProperty)
        {
            case "In":
            case "NotIn":
                if (values.Count == 0)
                {
                    throw new FormatException(
                        $"Label selector requirement on '{requirement.Key}': operator {requirement.OperatorProperty} needs at least one value.");
                }
                var sorted = values.Order(StringComparer.Ordinal);
                var word = requirement.OperatorProperty == "In" ? " in (" : " notin (";
                return new StringBuilder(requirement.Key).Append(word).AppendJoin(',', sorted).Append(')').ToString();
            case "Exists":
            case "DoesNotExist":
                if (values.Count != 0)
                {
                    throw new FormatException(
                        $"Label selector requirement on '{requirement.Key}': operator {requirement.OperatorProperty} takes no values.");
                }
                return requirement.OperatorProperty == "Exists" ? requirement.Key : "!" + requirement.Key;
            default:
                throw new FormatException(
                    $"Label selector requirement on '{requirement.Key}': unknown operator '{requirement.OperatorProperty}' (expected In, NotIn, Exists or DoesNotExist).");
        }
    }

    private static void RequireKey(string? key)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new FormatException("Label selector has an empty key.");
        }
    }
}
