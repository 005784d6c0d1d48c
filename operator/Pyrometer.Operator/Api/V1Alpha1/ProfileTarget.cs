using Pyrometer.Kube.Models;

namespace Pyrometer.Operator.Api.V1Alpha1;

/// <summary>Which pod(s), container and process to profile: exactly one of <see cref="Pod"/> and <see cref="Selector"/>.</summary>
[Schema("Which pod(s), container and process to profile. Exactly one of pod and selector.")]
internal sealed class ProfileTarget
{
    public const int DefaultMaxPods = 1;
    public const int MaxMaxPods = 20;

    /// <summary>The longest object name (a DNS-1123 subdomain).</summary>
    public const int MaxNameLength = 253;

    [Schema("The name of one pod in the request's namespace.", MaxLength = 253)]
    public string? Pod { get; set; }

    [Schema("A label selector over pods in the request's namespace; the first maxPods Running matches (by name) are profiled.")]
    public LabelSelector? Selector { get; set; }

    [Schema("With selector: how many matching Running pods to profile.", Minimum = 1, Maximum = MaxMaxPods)]
    public int? MaxPods { get; set; }

    [Schema("The container whose processes are profiled; default: the pod's first container.", MaxLength = 63)]
    public string? Container { get; set; }

    [Schema("Which process to profile; default: the topmost Python process in the container.")]
    public ProcessSelector? Process { get; set; }
}
