using Pyrometer.Kube.Models;

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
    public static async Task<TokenReviewStatus> ReviewTokenAsync(this IKubeApi api, string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentException.ThrowIfNullOrEmpty(token);
        var review = await api.CreateAsync(new TokenReview { Spec = new TokenReviewSpec { Token = token } }, cancellationToken).ConfigureAwait(false);
        return review.Status ?? new TokenReviewStatus();
    }

    /// <summary>True when <paramref name="user"/> may perform <paramref name="action"/>.</summary>
    /// <param name="api">The Kubernetes API.</param>
    /// <param name="user">The user, as a TokenReview returned it.</param>
    /// <param name="action">The verb, group, resource and namespace.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public static async Task<bool> MayAsync(this IKubeApi api, UserInfo user, ResourceAttributes action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(action);
        var review = new SubjectAccessReview
        {
            Spec = new SubjectAccessReviewSpec
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
