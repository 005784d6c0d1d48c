using Pyrometer.Sampling.Target;

namespace Pyrometer.Sampling.Sampling;

/// <summary>A classified failure to attach to a process, with a message a person can act on.</summary>
internal sealed record TargetError(TargetErrorKind Kind, string Message);
