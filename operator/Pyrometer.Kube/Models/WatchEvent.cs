using k8s;
using k8s.Models;

namespace Pyrometer.Kube.Models;

// Kept: the client's typed envelope is nested in its own Watcher<T>, which our ListWatcher does not use.

/// <summary>One change delivered by a watch.</summary>
/// <typeparam name="T">The object type.</typeparam>
/// <param name="Type">What happened (never <see cref="WatchEventType.Error"/>: an ERROR event is thrown as a <see cref="Api.KubeApiException"/>).</param>
/// <param name="Value">The object after the change (its last state for <see cref="WatchEventType.Deleted"/>).</param>
public sealed record WatchEvent<T>(WatchEventType Type, T Value)
    where T : class, IKubernetesObject<V1ObjectMeta>;
