using Pyrometer.Operator.Storage;

namespace Pyrometer.Operator.Controllers;

/// <summary>What the store holds for one artifact the agent reported: the check, and where people open it.</summary>
internal sealed record ArtifactObservation(string Format, ArtifactCheck Check, string Uri, ArtifactLink? Link);
