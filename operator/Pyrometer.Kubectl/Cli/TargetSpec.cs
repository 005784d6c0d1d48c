using Pyrometer.Kubectl.Api;

namespace Pyrometer.Kubectl.Cli;

/// <summary>A parsed target: a pod or deployment by name, or a label selector; nothing looked up yet.</summary>
internal sealed record TargetSpec(TargetKind Kind, string? Name, LabelSelectorSpec? Selector)
{
    public override string ToString() => Kind switch
    {
        TargetKind.Pod => "pod/" + Name,
        TargetKind.Deployment => "deployment/" + Name,
        _ => "pods matching " + Selector!.ToQuery(),
    };
}
