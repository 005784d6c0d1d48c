namespace Pyrometer.Kubectl.Api;

/// <summary>One matchExpressions entry: In, NotIn, Exists or DoesNotExist.</summary>
internal sealed record LabelRequirement(string Key, string Operator, IReadOnlyList<string>? Values);
