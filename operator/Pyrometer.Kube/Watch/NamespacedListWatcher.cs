using System.Diagnostics.CodeAnalysis;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Pyrometer.Kube.Api;
using Pyrometer.Kube.Models;

namespace Pyrometer.Kube.Watch;

/// <summary>
/// One <see cref="ListWatcher{T}"/> per namespace, run and read as one cache; or a single cluster-wide watcher when no
/// namespace is given. With rights granted only through Roles in some namespaces, a cluster-wide list or watch is
/// refused (403), so each of those namespaces must be listed and watched on its own.
/// </summary>
/// <typeparam name="T">The watched kind (namespaced).</typeparam>
public sealed class NamespacedListWatcher<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Dictionary<string, ListWatcher<T>> _byNamespace = new(StringComparer.Ordinal);
    private readonly ListWatcher<T>? _all;

    /// <summary>Creates the watchers; nothing happens until <see cref="RunAsync"/>.</summary>
    /// <param name="api">The API client.</param>
    /// <param name="namespaces">The namespaces to watch; empty for all namespaces (one cluster-wide watch).</param>
    /// <param name="options">Page size and backoff of each watcher.</param>
    /// <param name="logger">Logger for failures and re-lists.</param>
    /// <param name="time">Clock for backoff; the system clock when null.</param>
    public NamespacedListWatcher(
        IKubeApi api, IReadOnlyCollection<string> namespaces, ListWatcherOptions? options = null, ILogger? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(namespaces);
        if (namespaces.Count == 0)
        {
            _all = new ListWatcher<T>(api, ListScope.AllNamespaces, options, logger, time);
            return;
        }
        foreach (var ns in namespaces.Distinct(StringComparer.Ordinal))
        {
            _byNamespace[ns] = new ListWatcher<T>(api, ListScope.InNamespace(ns), options, logger, time);
        }
    }

    /// <summary>The namespaces watched one by one; empty when one watch covers all namespaces.</summary>
    public IReadOnlyCollection<string> Namespaces => _byNamespace.Keys;

    private IEnumerable<ListWatcher<T>> Watchers => _all is null ? _byNamespace.Values : [_all];

    /// <summary>True once every watcher has delivered its first list.</summary>
    public bool HasSynced => Watchers.All(w => w.HasSynced);

    /// <summary>Completes once every watcher has delivered its first list.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    public Task WaitForSyncAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(Watchers.Select(w => w.WaitForSyncAsync(cancellationToken)));

    /// <summary>Reads an object from the cache of its namespace.</summary>
    /// <param name="key">The object's key.</param>
    /// <param name="value">The cached object.</param>
    public bool TryGet(ObjectKey key, [MaybeNullWhen(false)] out T value)
    {
        if (_all is not null)
        {
            return _all.TryGet(key, out value);
        }
        if (key.Namespace is { } ns && _byNamespace.TryGetValue(ns, out var watcher))
        {
            return watcher.TryGet(key, out value);
        }
        value = null;
        return false;
    }

    /// <summary>The cached objects of every watched namespace, in no particular order.</summary>
    public IReadOnlyList<T> Snapshot() => _all is not null ? _all.Snapshot() : [.. _byNamespace.Values.SelectMany(w => w.Snapshot())];

    /// <summary>
    /// Runs every watcher until <paramref name="cancellationToken"/> is cancelled (a normal exit). The handler still runs
    /// on one task at a time, whichever namespace the change comes from; an exception from it ends the run.
    /// </summary>
    /// <param name="handler">Receives every watcher's events.</param>
    /// <param name="cancellationToken">Stops the watchers.</param>
    public async Task RunAsync(Func<WatchEvent<T>, CancellationToken, ValueTask> handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (_all is not null)
        {
            await _all.RunAsync(handler, cancellationToken).ConfigureAwait(false);
            return;
        }
        using var gate = new SemaphoreSlim(1, 1);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        async ValueTask Serialized(WatchEvent<T> change, CancellationToken token)
        {
            await gate.WaitAsync(token).ConfigureAwait(false);
            try
            {
                await handler(change, token).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        }
        var runs = _byNamespace.Values.Select(w => w.RunAsync(Serialized, stopping.Token)).ToList();
        try
        {
            // One failing run (its handler threw) stops the others, as a single watcher's run would end.
            await await Task.WhenAny(runs).ConfigureAwait(false);
        }
        finally
        {
            await stopping.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(runs).ConfigureAwait(false);
        }
    }
}
