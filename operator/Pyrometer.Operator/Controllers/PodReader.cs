using System.Collections.Concurrent;
using k8s.Models;
using Pyrometer.Kube.Api;
using Pyrometer.Kube.Models;
using Pyrometer.Kube.Watch;

namespace Pyrometer.Operator.Controllers;

/// <summary>
/// Reads the target pods a reconcile needs from the controller's watch cache instead of the API server, except where the
/// cache may lag behind our own write: after the operator patches a pod (adds an agent), that pod is read from the API server
/// until the watch has delivered the resourceVersion the patch returned. A pod the cache does not hold (yet) is read
/// from the API server too, so a pod created a moment before its request is not taken for missing.
/// </summary>
internal sealed class PodReader
{
    /// <summary>A write whose version the watch never reports exactly (a re-list jumped past it) is trusted after this.</summary>
    public static readonly TimeSpan PendingLimit = TimeSpan.FromMinutes(1);

    private readonly IKubeApi _api;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<ObjectKey, Pending> _pending = new();
    private NamespacedListWatcher<V1Pod>? _cache;

    public PodReader(IKubeApi api, TimeProvider time)
    {
        _api = api;
        _time = time;
    }

    /// <summary>Reads through <paramref name="cache"/> once it has synced (the controller that keeps it calls this).</summary>
    public void UseCache(NamespacedListWatcher<V1Pod> cache) => _cache = cache;

    /// <summary>The pod, or null when it does not exist.</summary>
    public async Task<V1Pod?> GetAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        if (Trusted(key.Namespace) is { } cache && !IsPending(key) && cache.TryGet(key, out var cached))
        {
            return cached;
        }
        return await _api.GetAsync<V1Pod>(key, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The pods of <paramref name="namespace"/> that match a rendered selector, always from the API server: targets are
    /// chosen from this list once and for good, and the pod watch may not have delivered a pod created just before the
    /// request (its stream is not ordered with the requests' stream).
    /// </summary>
    public async Task<List<V1Pod>> ListAsync(string @namespace, string selector, CancellationToken cancellationToken)
    {
        var pods = new List<V1Pod>();
        string? next = null;
        do
        {
            var page = await _api.ListAsync<V1Pod>(new ListScope { Namespace = @namespace, LabelSelector = selector, Limit = 500, Continue = next }, cancellationToken)
                .ConfigureAwait(false);
            pods.AddRange(page.Items);
            next = string.IsNullOrEmpty(page.Metadata.ContinueProperty) ? null : page.Metadata.ContinueProperty;
        }
        while (next is not null);
        return pods;
    }

    /// <summary>Called before the operator writes a pod: until the watch shows the write, the pod is read from the API server.</summary>
    public void Writing(ObjectKey key) => _pending[key] = new Pending(null, _time.GetUtcNow());

    /// <summary>Called with the resourceVersion the write returned (null when the answer carried none).</summary>
    public void Wrote(ObjectKey key, string? resourceVersion) => _pending[key] = new Pending(resourceVersion, _time.GetUtcNow());

    /// <summary>Called for every pod the watch delivers: the write it was waiting for has arrived, or the pod is gone.</summary>
    public void Observed(V1Pod pod, bool deleted)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var key = ObjectKey.From(pod);
        if (_pending.TryGetValue(key, out var pending) &&
            (deleted || pending.Version is not null && pending.Version == pod.Metadata.ResourceVersion))
        {
            _pending.TryRemove(KeyValuePair.Create(key, pending));
        }
    }

    /// <summary>The cache, when it has synced and watches <paramref name="namespace"/>.</summary>
    private NamespacedListWatcher<V1Pod>? Trusted(string? @namespace)
    {
        var cache = _cache;
        if (cache is null || !cache.HasSynced || @namespace is null)
        {
            return null;
        }
        return cache.Namespaces.Count == 0 || cache.Namespaces.Contains(@namespace, StringComparer.Ordinal) ? cache : null;
    }

    private bool IsPending(ObjectKey key)
    {
        if (!_pending.TryGetValue(key, out var pending))
        {
            return false;
        }
        if (_time.GetUtcNow() - pending.Since < PendingLimit)
        {
            return true;
        }
        _pending.TryRemove(KeyValuePair.Create(key, pending));
        return false;
    }

    private sealed record Pending(string? Version, DateTimeOffset Since);
}
