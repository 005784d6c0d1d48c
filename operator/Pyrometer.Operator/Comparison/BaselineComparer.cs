using Pyrometer.Kube.Api;
using Pyrometer.Kube.Models;
using Pyrometer.Operator.Api.V1Alpha1;
using Pyrometer.Operator.Artifacts;
using Pyrometer.Operator.Storage;

namespace Pyrometer.Operator.Comparison;

/// <summary>
/// Compares a request that just succeeded with its <c>spec.baseline</c>: finds the baseline, reads both profiles
/// back from the store, writes the diff artifacts and returns the verdict. A baseline that is missing, unfinished or
/// unreadable is an Unknown verdict, never a failure of the request; store failures throw so the reconcile retries.
/// </summary>
internal sealed class BaselineComparer(IKubeApi api, IArtifactStore store)
{
    private readonly ComparableProfileReader _reader = new(store);

    /// <param name="request">The request, as read.</param>
    /// <param name="status">Its status as this reconcile will write it: Succeeded, with its targets and artifacts.</param>
    public async Task<ComparisonOutcome> CompareAsync(ProfileRequest request, ProfileRequestStatus status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(status);
        var (baseline, unknown) = await FindAsync(request, status.Targets ?? [], cancellationToken).ConfigureAwait(false);
        if (baseline is null)
        {
            return unknown!;
        }
        var name = baseline.Metadata.Name!;
        var current = new ProfileRequest { Metadata = request.Metadata, Spec = request.Spec, Status = status };
        var (after, afterProblem) = await _reader.ReadAsync(current, cancellationToken).ConfigureAwait(false);
        if (after is null)
        {
            return ComparisonOutcome.Unknown(Conditions.ProfileUnreadable, $"This request's profile cannot be compared with {name}: {afterProblem}.");
        }
        var (before, beforeProblem) = await _reader.ReadAsync(baseline, cancellationToken).ConfigureAwait(false);
        if (before is null)
        {
            return ComparisonOutcome.Unknown(Conditions.BaselineUnreadable, $"Baseline {name} cannot be compared with: {beforeProblem}.");
        }

        var (changes, rendered) = ProfileDiff.Compare(before, after);
        var artifacts = new List<ArtifactStatus>();
        foreach (var (format, bytes) in rendered)
        {
            var key = new ArtifactKey(request.Metadata.NamespaceProperty!, request.Metadata.Name!, null, format, ComparisonFormats.Extension(format));
            artifacts.Add(await ArtifactPublisher.PublishAsync(store, key, bytes, ComparisonFormats.ContentType(format), cancellationToken).ConfigureAwait(false));
        }
        return RegressionVerdict.Decide(changes, request.Spec.RegressionThreshold, name) with { Artifacts = artifacts };
    }

    private async Task<(ProfileRequest? Baseline, ComparisonOutcome? Unknown)> FindAsync(
        ProfileRequest request, IReadOnlyList<TargetStatus> targets, CancellationToken cancellationToken)
    {
        var ns = request.Metadata.NamespaceProperty!;
        var wanted = request.Spec.Baseline!;
        if (wanted == ProfileRequestSpec.LatestBaseline)
        {
            var candidates = await ListAsync(ns, cancellationToken).ConfigureAwait(false);
            return BaselineSelector.PickLatest(request, targets, candidates) is { } latest
                ? (latest, null)
                : (null, ComparisonOutcome.Unknown(Conditions.BaselineNotFound,
                    $"No other Succeeded ProfileRequest in namespace {ns} profiled the same target ({BaselineSelector.Describe(request, targets)}); this one can be the baseline of the next."));
        }
        var named = await api.GetAsync<ProfileRequest>(new ObjectKey(ns, wanted), cancellationToken).ConfigureAwait(false);
        if (named is null)
        {
            return (null, ComparisonOutcome.Unknown(Conditions.BaselineNotFound, $"Baseline ProfileRequest {ns}/{wanted} does not exist."));
        }
        if (named.Status?.Phase != ProfilePhases.Succeeded)
        {
            var state = named.Status?.Phase is { } phase ? $"{phase}{(named.Status.Reason is { } r ? $" ({r})" : "")}" : "not started";
            return (null, ComparisonOutcome.Unknown(Conditions.BaselineNotSucceeded,
                $"Baseline ProfileRequest {ns}/{wanted} is {state}, not Succeeded: it has no profile to compare with."));
        }
        return (named, null);
    }

    private async Task<List<ProfileRequest>> ListAsync(string ns, CancellationToken cancellationToken)
    {
        var requests = new List<ProfileRequest>();
        string? next = null;
        do
        {
            var page = await api.ListAsync<ProfileRequest>(new ListScope { Namespace = ns, Limit = 500, Continue = next }, cancellationToken).ConfigureAwait(false);
            requests.AddRange(page.Items);
            next = string.IsNullOrEmpty(page.Metadata.ContinueProperty) ? null : page.Metadata.ContinueProperty;
        }
        while (next is not null);
        return requests;
    }
}
