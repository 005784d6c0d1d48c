using System.Text.Json.Nodes;
using Pyrometer.Kube.Api;
using Pyrometer.Operator.Api.V1Alpha1;

namespace Pyrometer.Operator.Controllers;

/// <summary>
/// The finalizer that keeps a deleted request until the store has deleted its artifacts
/// (<c>Operator:DeleteArtifactsWithRequest</c>): when to add or remove it, and the patches that do. Pure.
/// </summary>
internal static class ArtifactFinalizer
{
    public const string Name = "pyrometer.dev/artifacts";

    /// <summary>The Warning event's reason when the store could not delete a deleted request's artifacts.</summary>
    public const string DeletionFailedReason = "ArtifactDeletionFailed";

    public static bool IsPresent(ProfileRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Metadata.Finalizers?.Contains(Name, StringComparer.Ordinal) == true;
    }

    public static FinalizerStep Decide(ProfileRequest request, bool deleteArtifactsWithRequest)
    {
        var present = IsPresent(request);
        if (request.Metadata.DeletionTimestamp is not null)
        {
            // A deletion cannot take a finalizer any more; ours is honoured only while the option is on.
            return !present ? FinalizerStep.None : deleteArtifactsWithRequest ? FinalizerStep.Finalize : FinalizerStep.Remove;
        }
        return (present, deleteArtifactsWithRequest) switch
        {
            (false, true) => FinalizerStep.Add,
            (true, false) => FinalizerStep.Remove,
            _ => FinalizerStep.None,
        };
    }

    /// <summary>A merge patch of <c>metadata.finalizers</c> with ours added, keeping the others, carrying the resourceVersion read.</summary>
    public static KubePatch Add(ProfileRequest request) => Patch(request, [.. Others(request), Name]);

    /// <summary>A merge patch of <c>metadata.finalizers</c> without ours, keeping the others, carrying the resourceVersion read.</summary>
    public static KubePatch Remove(ProfileRequest request) => Patch(request, Others(request));

    // A merge patch replaces the whole list, so the resourceVersion makes a concurrent change to it a 409, not a loss.
    private static KubePatch Patch(ProfileRequest request, List<string> finalizers) => KubePatch.Merge(new JsonObject
    {
        ["metadata"] = new JsonObject
        {
            ["resourceVersion"] = request.Metadata.ResourceVersion,
            ["finalizers"] = new JsonArray([.. finalizers.Select(f => JsonValue.Create(f))]),
        },
    });

    private static List<string> Others(ProfileRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return [.. (request.Metadata.Finalizers ?? []).Where(f => !string.Equals(f, Name, StringComparison.Ordinal))];
    }
}
