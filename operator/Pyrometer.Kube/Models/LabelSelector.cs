using System.Text;

namespace Pyrometer.Kube.Models;

/// <summary><c>metav1.LabelSelector</c>: equality labels and set-based expressions, all ANDed.</summary>
public sealed class LabelSelector
{
    /// <summary>Labels that must have exactly these values.</summary>
    public Dictionary<string, string>? MatchLabels { get; set; }

    /// <summary>Set-based requirements.</summary>
    public List<LabelSelectorRequirement>? MatchExpressions { get; set; }

    /// <summary>
    /// Renders the selector in the query-string syntax of <c>labelSelector=</c>, e.g.
    /// <c>app=api,tier in (a,b),!legacy</c>. Terms are sorted so equal selectors give equal strings.
    /// An empty selector gives an empty string, which matches everything.
    /// </summary>
    /// <exception cref="FormatException">A requirement has an unknown operator, or values that contradict its operator.</exception>
    public string ToSelectorString()
    {
        var terms = new List<string>();
        foreach (var (key, value) in MatchLabels ?? [])
        {
            RequireKey(key);
            terms.Add(key + "=" + value);
        }
        foreach (var requirement in MatchExpressions ?? [])
        {
            terms.Add(Render(requirement));
        }
        terms.Sort(StringComparer.Ordinal);
        return string.Join(',', terms);
    }

    private static string Render(LabelSelectorRequirement requirement)
    {
        RequireKey(requirement.Key);
        var values = requirement.Values ?? [];
        switch (requirement.Operator)
        {
            case "In":
            case "NotIn":
                if (values.Count == 0)
                {
                    throw new FormatException(
                        $"Label selector requirement on '{requirement.Key}': operator {requirement.Operator} needs at least one value.");
                }
                var sorted = values.Order(StringComparer.Ordinal);
                var word = requirement.Operator == "In" ? " in (" : " notin (";
                return new StringBuilder(requirement.Key).Append(word).AppendJoin(',', sorted).Append(')').ToString();
            case "Exists":
            case "DoesNotExist":
                if (values.Count != 0)
                {
                    throw new FormatException(
                        $"Label selector requirement on '{requirement.Key}': operator {requirement.Operator} takes no values.");
                }
                return requirement.Operator == "Exists" ? requirement.Key : "!" + requirement.Key;
            default:
                throw new FormatException(
                    $"Label selector requirement on '{requirement.Key}': unknown operator '{requirement.Operator}' (expected In, NotIn, Exists or DoesNotExist).");
        }
    }

    private static void RequireKey(string key)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new FormatException("Label selector has an empty key.");
        }
    }
}
