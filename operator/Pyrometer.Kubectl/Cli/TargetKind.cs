namespace Pyrometer.Kubectl.Cli;

/// <summary>What <c>record</c> was asked to profile.</summary>
internal enum TargetKind
{
    Pod,
    Deployment,
    Selector,
}
