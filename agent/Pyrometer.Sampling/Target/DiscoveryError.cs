namespace Pyrometer.Sampling.Target;

/// <summary>A classified discovery failure with a message a person can act on.</summary>
internal sealed record DiscoveryError(TargetErrorKind Code, string Message)
{
    public override string ToString() => $"{Code}: {Message}";
}
