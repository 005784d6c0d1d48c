using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pyrometer.Kube.Api;
using Pyrometer.Kube.Http;
using Pyrometer.Kube.Models;

namespace Pyrometer.Kube.Watch;

/// <summary>
/// An informer-lite: lists, then watches from the list's resourceVersion, resumes after disconnects
/// from the last version seen, and lists again when that history has expired (410). Keeps the
/// current objects in memory and hands every change to a consumer; a re-list is reconciled against
/// the cache so the consumer still sees the adds, changes and deletes it missed.
/// </summary>
/// <typeparam name="T">The watched kind.</typeparam>
public sealed partial class ListWatcher<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly IKubeApi _api;
    private readonly ListScope _scope;
    private readonly ListWatcherOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<ObjectKey, T> _cache = new();
    private readonly string _name = typeof(T).Name;
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Creates a watcher; nothing happens until <see cref="RunAsync"/>.</summary>
    /// <param name="api">The API client.</param>
    /// <param name="scope">Namespace and selectors to watch (paging fields are ignored).</param>
    /// <param name="options">Page size and backoff; defaults when null.</param>
    /// <param name="logger">Logger for failures and re-lists.</param>
    /// <param name="time">Clock for backoff; the system clock when null.</param>
    public ListWatcher(IKubeApi api, ListScope scope, ListWatcherOptions? options = null, ILogger? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(scope);
        _api = api;
        _scope = scope with { Limit = null, Continue = null };
        _options = options ?? new ListWatcherOptions();
        if (_options.PageSize < 0 || _options.InitialBackoff <= TimeSpan.Zero || _options.MaxBackoff < _options.InitialBackoff)
        {
            throw new ArgumentException("ListWatcherOptions: PageSize must not be negative and 0 < InitialBackoff <= MaxBackoff.", nameof(options));
        }
        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>True once the first list has been delivered.</summary>
    public bool HasSynced => _synced.Task.IsCompleted;

    /// <summary>Completes once the first list has been delivered to the handler.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);

    /// <summary>The last resourceVersion seen (list, event or bookmark).</summary>
    public string? LastResourceVersion { get; private set; }

    /// <summary>Reads an object from the cache.</summary>
    /// <param name="key">The object's key.</param>
    /// <param name="value">The cached object.</param>
    public bool TryGet(ObjectKey key, [MaybeNullWhen(false)] out T value) => _cache.TryGetValue(key, out value);

    /// <summary>The cached objects, in no particular order.</summary>
    public IReadOnlyList<T> Snapshot() => [.. _cache.Values];

    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> is cancelled, which is a normal exit (no exception).
    /// The handler runs on one task at a time; an exception from it ends the run.
    /// </summary>
    /// <param name="handler">Receives Added, Modified, Deleted and Bookmark events; the cache is updated before it runs.</param>
    /// <param name="cancellationToken">Stops the watcher.</param>
    public async Task RunAsync(Func<WatchEvent<T>, CancellationToken, ValueTask> handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var backoff = new Backoff(_options.InitialBackoff, _options.MaxBackoff);
        string? resourceVersion = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (resourceVersion is null)
                {
                    resourceVersion = await RelistAsync(handler, cancellationToken).ConfigureAwait(false);
                    backoff.Reset();
                }
                var received = 0;
                await foreach (var change in _api.WatchAsync<T>(_scope, resourceVersion, cancellationToken).ConfigureAwait(false))
                {
                    received++;
                    resourceVersion = change.Value.Metadata.ResourceVersion ?? resourceVersion;
                    LastResourceVersion = resourceVersion;
                    await ApplyAsync(change, handler, cancellationToken).ConfigureAwait(false);
                    backoff.Reset();
                }
                // The server closed the stream (its timeout, or a restart): resume from where we are.
                LogWatchEnded(_logger, _name, resourceVersion);
                if (received == 0)
                {
                    // A server that keeps closing empty streams at once must not be hammered.
                    await Task.Delay(backoff.Next(), _time, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (KubeApiException e) when (e.IsGone)
            {
                LogHistoryExpired(_logger, _name, resourceVersion);
                resourceVersion = null;   // history expired: start over with a list
            }
            catch (Exception e) when (e is HttpRequestException or IOException or KubeApiException or JsonException or TimeoutException)
            {
                LogWatchFailed(_logger, _name, e);
                try
                {
                    await Task.Delay(backoff.Next(), _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    private async Task<string> RelistAsync(Func<WatchEvent<T>, CancellationToken, ValueTask> handler, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        string? next = null;
        V1ListMeta metadata;
        do
        {
            var page = await _api.ListAsync<T>(
                _scope with { Limit = _options.PageSize == 0 ? null : _options.PageSize, Continue = next },
                cancellationToken).ConfigureAwait(false);
            items.AddRange(page.Items);
            metadata = page.Metadata;
            next = string.IsNullOrEmpty(metadata.ContinueProperty) ? null : metadata.ContinueProperty;
        }
        while (next is not null);

        var resourceVersion = metadata.ResourceVersion;
        if (string.IsNullOrEmpty(resourceVersion))
        {
            throw new JsonException($"The list of {_name} carried no resourceVersion to watch from.");
        }

        var seen = new HashSet<ObjectKey>();
        foreach (var item in items)
        {
            var key = ObjectKey.From(item);
            seen.Add(key);
            var type = _cache.ContainsKey(key) ? WatchEventType.Modified : WatchEventType.Added;
            await ApplyAsync(new WatchEvent<T>(type, item), handler, cancellationToken).ConfigureAwait(false);
        }
        foreach (var (key, gone) in _cache.ToArray())
        {
            if (!seen.Contains(key))
            {
                await ApplyAsync(new WatchEvent<T>(WatchEventType.Deleted, gone), handler, cancellationToken).ConfigureAwait(false);
            }
        }
        LogListed(_logger, _name, items.Count, resourceVersion);
        LastResourceVersion = resourceVersion;
        _synced.TrySetResult();
        return resourceVersion;
    }

    private async ValueTask ApplyAsync(WatchEvent<T> change, Func<WatchEvent<T>, CancellationToken, ValueTask> handler, CancellationToken cancellationToken)
    {
        if (change.Type == WatchEventType.Bookmark)
        {
            await handler(change, cancellationToken).ConfigureAwait(false);
            return;
        }
        var key = ObjectKey.From(change.Value);
        if (change.Type == WatchEventType.Deleted)
        {
            if (!_cache.TryRemove(key, out _))
            {
                return;   // already gone (seen by a re-list): do not report it twice
            }
        }
        else
        {
            if (_cache.TryGetValue(key, out var cached) &&
                cached.Metadata.ResourceVersion == change.Value.Metadata.ResourceVersion)
            {
                return;   // same version already delivered (a re-list after a resume)
            }
            _cache[key] = change.Value;
        }
        await handler(change, cancellationToken).ConfigureAwait(false);
    }
}
