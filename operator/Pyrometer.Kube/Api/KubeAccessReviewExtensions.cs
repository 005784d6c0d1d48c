using k8s;
using k8s.Models;

namespace Pyrometer.Kube.Api;

/// <summary>
/// Asking the API server about a person: who a bearer token belongs to (TokenReview) and what that user may do
/// (SubjectAccessReview). Both are create-only review objects; the caller needs <c>create</c> on them.
/// </summary>
public static class KubeAccessReviewExtensions
{
    /// <summary>Checks a bearer token; the status says whether it is valid and whose it is.</summary>
    /// <param name="api">The Kubernetes API.</param>
    /// <param name="token">The token a person presented. It goes only into the request body, never into a log.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public static async Task<V1TokenReviewStatus> ReviewTokenAsync(this IKubeApi api, string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentException.ThrowIfNullOrEmpty(token);
        var review = await api.CreateAsync(new V1TokenReview { Spec = new V1TokenReviewSpec { Token = token } }, cancellationToken).ConfigureAwait(false);
        return review.Status ?? new V1TokenReviewStatus();
    }

    /// <summary>True when <paramref name="user"/> may perform <paramref name="action"/>.</summary>
    /// <param name="api">The Kubernetes API.</param>
    /// <param name="user">The user, as a TokenReview returned it.</param>
    /// <param name="action">The verb, group, resource and namespace.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public static async Task<bool> MayAsync(this IKubeApi api, V1UserInfo user, V1ResourceAttributes action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(action);
        var review = new V1SubjectAccessReview
        {
            Spec = new V1SubjectAccessReviewSpec
            {
                ResourceAttributes = action,
                User = user.Username,
                Uid = user.Uid,
                Groups = user.Groups,
                Extra = user.Extra,
            },
        };
        var answer = await api.CreateAsync(review, cancellationToken).ConfigureAwait(false);
        return answer.Status is { Allowed: true, Denied: not true };
    }
}
