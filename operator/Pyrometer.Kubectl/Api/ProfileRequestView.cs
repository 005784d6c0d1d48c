namespace Pyrometer.Kubectl.Api;

/// <summary>
/// The few ProfileRequest fields the plugin reads, defined here rather than referenced from the operator (which would
/// pull in its whole host). Unknown fields are ignored, so a newer operator's status still reads.
/// </summary>
internal sealed record ProfileRequestView(RequestMetadata? Metadata, RequestSpecView? Spec, RequestStatus? Status);
