using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using k8s.Models;
using Microsoft.Extensions.Options;
using Pyrometer.Kube.Api;

namespace Pyrometer.Operator.Storage;

/// <summary>
/// Who is looking at the viewer, and what they may see: a TokenReview turns a bearer token into a user, and a
/// SubjectAccessReview per namespace says whether that user may <c>get</c> ProfileRequests there. Answers are
/// cached for <see cref="ViewerOptions.AuthCacheDuration"/>, keyed by the token's SHA-256 (the token itself is
/// never kept as a key or logged). Failures to ask are not cached.
/// </summary>
internal sealed class ViewerAuthenticator
{
    /// <summary>Beyond this many cached answers the cache starts over: a flood of bogus tokens cannot grow it.</summary>
    private const int MaxCachedAnswers = 10_000;

    private readonly IKubeApi _api;
    private readonly TimeProvider _time;
    private readonly TimeSpan _cacheFor;
    private readonly ConcurrentDictionary<string, (V1UserInfo? User, DateTimeOffset Until)> _users = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (bool Allowed, DateTimeOffset Until)> _permissions = new(StringComparer.Ordinal);

    public ViewerAuthenticator(IKubeApi api, IOptions<StorageOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _api = api;
        _time = time;
        _cacheFor = options.Value.Viewer.AuthCacheDuration;
    }

    /// <summary>The user the token belongs to; null when the API server does not accept it.</summary>
    public async Task<ViewerUser?> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        var tokenKey = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        var now = _time.GetUtcNow();
        if (!_users.TryGetValue(tokenKey, out var cached) || cached.Until <= now)
        {
            var status = await _api.ReviewTokenAsync(token, cancellationToken).ConfigureAwait(false);
            var user = status.Authenticated == true && !string.IsNullOrEmpty(status.User?.Username) ? status.User : null;
            cached = (user, now + _cacheFor);
            Remember(_users, tokenKey, cached);
        }
        return cached.User is { } known ? new ViewerUser(tokenKey, known) : null;
    }

    /// <summary>True when the user may get ProfileRequests in <paramref name="namespace"/>.</summary>
    public async Task<bool> MayGetRequestsAsync(ViewerUser user, string @namespace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var key = user.TokenKey + "/" + @namespace;
        var now = _time.GetUtcNow();
        if (!_permissions.TryGetValue(key, out var cached) || cached.Until <= now)
        {
            var action = new V1ResourceAttributes
            {
                NamespaceProperty = @namespace,
                Verb = "get",
                Group = ViewerPermission.Group,
                Resource = ViewerPermission.Resource,
            };
            cached = (await _api.MayAsync(user.Info, action, cancellationToken).ConfigureAwait(false), now + _cacheFor);
            Remember(_permissions, key, cached);
        }
        return cached.Allowed;
    }

    private static void Remember<T>(ConcurrentDictionary<string, T> cache, string key, T value)
    {
        if (cache.Count >= MaxCachedAnswers)
        {
            cache.Clear();
        }
        cache[key] = value;
    }
}
