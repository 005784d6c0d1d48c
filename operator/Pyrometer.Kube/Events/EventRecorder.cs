using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pyrometer.Kube.Api;
using Pyrometer.Kube.Models;
using Pyrometer.Kube.Serialization;

namespace Pyrometer.Kube.Events;

/// <summary>
/// Writes core/v1 Events about objects, best effort, the way kube's recorder does: the same event again (same object,
/// type, reason and message) within <see cref="DedupWindow"/> adds to the first one's <c>count</c> and
/// <c>lastTimestamp</c> instead of creating another object. Failures are logged, never thrown: the object's
/// status already says what the event says.
/// </summary>
public sealed partial class EventRecorder
{
    /// <summary>How long a written event is remembered for counting repeats (kube's recorder uses a similar span).</summary>
    public static readonly TimeSpan DedupWindow = TimeSpan.FromMinutes(10);

    /// <summary>The API server rejects event messages over 1 KiB.</summary>
    public const int MaxMessageLength = 1000;

    private const int MaxRemembered = 4096;

    private readonly IKubeApi _api;
    private readonly EventSourceInfo _source;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<EventIdentity, Recorded> _recent = [];
    private readonly Lock _lock = new();

    /// <summary>Creates a recorder.</summary>
    /// <param name="api">The Kubernetes API.</param>
    /// <param name="source">The component and instance named on every event.</param>
    /// <param name="time">Clock for timestamps and the dedup window; the system clock when null.</param>
    /// <param name="logger">Logger for events that could not be written.</param>
    public EventRecorder(IKubeApi api, EventSourceInfo source, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(source);
        _api = api;
        _source = source;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Records an event about <paramref name="subject"/>; a repeat within the window is counted on the first.</summary>
    /// <param name="subject">The object the event is about (namespaced).</param>
    /// <param name="type"><c>Normal</c> or <c>Warning</c>.</param>
    /// <param name="reason">Machine-readable reason, PascalCase.</param>
    /// <param name="message">Human-readable description; cut to <see cref="MaxMessageLength"/> characters.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task RecordAsync(
        IKubernetesObject<V1ObjectMeta> subject, string type, string reason, string message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        ArgumentNullException.ThrowIfNull(message);
        var metadata = subject.Metadata ?? throw new ArgumentException("The subject has no metadata.", nameof(subject));
        message = message.Length > MaxMessageLength ? message[..MaxMessageLength] + "..." : message;
        var now = _time.GetUtcNow().UtcDateTime;
        var identity = new EventIdentity(metadata.NamespaceProperty, metadata.Name, metadata.Uid, type, reason, message);
        try
        {
            if (Repeat(identity, now) is { } repeat && await CountAsync(repeat, now, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
            var created = await _api.CreateAsync(New(subject, metadata, type, reason, message, now), cancellationToken).ConfigureAwait(false);
            Remember(identity, new Recorded(new ObjectKey(created.Metadata.NamespaceProperty, created.Metadata.Name), 1, now));
        }
        catch (KubeApiException e)
        {
            LogEventFailed(_logger, reason, e);
        }
    }

    private Corev1Event New(
        IKubernetesObject<V1ObjectMeta> subject, V1ObjectMeta metadata, string type, string reason, string message, DateTime now) => new()
    {
        ApiVersion = "v1",
        Kind = "Event",
        Metadata = new V1ObjectMeta { GenerateName = metadata.Name + ".", NamespaceProperty = metadata.NamespaceProperty },
        InvolvedObject = new V1ObjectReference
        {
            ApiVersion = subject.ApiVersion,
            Kind = subject.Kind,
            NamespaceProperty = metadata.NamespaceProperty,
            Name = metadata.Name,
            Uid = metadata.Uid,
            ResourceVersion = metadata.ResourceVersion,
        },
        Type = type,
        Reason = reason,
        Message = message,
        Source = new V1EventSource { Component = _source.Component },
        ReportingComponent = _source.ReportingComponent,
        ReportingInstance = _source.ReportingInstance,
        FirstTimestamp = now,
        LastTimestamp = now,
        Count = 1,
    };

    /// <summary>
    /// Adds one to a recorded event; false when it is gone (expired by the server) or cannot be patched (e.g. RBAC
    /// without <c>patch events</c>), so a new one is written rather than the event lost.
    /// </summary>
    private async Task<bool> CountAsync(Recorded repeat, DateTime now, CancellationToken cancellationToken)
    {
        var count = repeat.Count + 1;
        var patch = new JsonObject
        {
            ["count"] = count,
            ["lastTimestamp"] = JsonNode.Parse(KubeJson.Serialize(now)),
        };
        try
        {
            var patched = await _api.PatchAsync<Corev1Event>(repeat.Event, KubePatch.Merge(patch), cancellationToken).ConfigureAwait(false);
            lock (_lock)
            {
                foreach (var (identity, recorded) in _recent)
                {
                    if (recorded.Event == repeat.Event)
                    {
                        _recent[identity] = recorded with { Count = patched.Count ?? count };
                        break;
                    }
                }
            }
            return true;
        }
        catch (KubeApiException e)
        {
            if (!e.IsNotFound)
            {
                LogCountFailed(_logger, repeat.Event.Name, e);
            }
            return false;
        }
    }

    private Recorded? Repeat(EventIdentity identity, DateTime now)
    {
        lock (_lock)
        {
            if (_recent.TryGetValue(identity, out var recorded) && now - recorded.First < DedupWindow)
            {
                return recorded;
            }
            _recent.Remove(identity);
            return null;
        }
    }

    private void Remember(EventIdentity identity, Recorded recorded)
    {
        lock (_lock)
        {
            if (_recent.Count >= MaxRemembered)
            {
                // Forget the oldest: a repeat of it then becomes a new event, as after the window.
                var oldest = _recent.MinBy(entry => entry.Value.First).Key;
                _recent.Remove(oldest);
            }
            _recent[identity] = recorded;
        }
    }

    private readonly record struct EventIdentity(string? Namespace, string? Name, string? Uid, string Type, string Reason, string Message);

    private sealed record Recorded(ObjectKey Event, int Count, DateTime First);
}
