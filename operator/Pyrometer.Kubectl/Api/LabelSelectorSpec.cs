namespace Pyrometer.Kubectl.Api;

/// <summary>A metav1.LabelSelector, as ProfileRequest's <c>target.selector</c> takes it.</summary>
internal sealed record LabelSelectorSpec(
    IReadOnlyDictionary<string, string>? MatchLabels,
    IReadOnlyList<LabelRequirement>? MatchExpressions)
{
    /// <summary>The selector in kubectl's <c>-l</c> syntax, for messages and list calls.</summary>
    public string ToQuery()
    {
        var parts = new List<string>();
        foreach (var (key, value) in (MatchLabels ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            parts.Add(key + "=" + value);
        }
        foreach (var requirement in MatchExpressions ?? [])
        {
            parts.Add(requirement.Operator switch
            {
                "Exists" => requirement.Key,
                "DoesNotExist" => "!" + requirement.Key,
                "In" => $"{requirement.Key} in ({string.Join(',', requirement.Values ?? [])})",
                _ => $"{requirement.Key} notin ({string.Join(',', requirement.Values ?? [])})",
            });
        }
        return string.Join(',', parts);
    }
}
