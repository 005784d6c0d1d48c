using Pyrometer.Kubectl.Api;

namespace Pyrometer.Kubectl.Record;

/// <summary>What the request's spec.target names: one pod, or a selector (a Deployment's own, or the user's).</summary>
/// <param name="Description">How to name it to the user, e.g. "deployment/shop (app=shop)".</param>
internal sealed record ResolvedTarget(string? Pod, LabelSelectorSpec? Selector, string Description, string BaseName);
