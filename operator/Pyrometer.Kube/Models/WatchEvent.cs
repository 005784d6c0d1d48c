namespace Pyrometer.Kube.Models;

/// <summary>One change delivered by a watch.</summary>
/// <typeparam name="T">The object type.</typeparam>
/// <param name="Type">What happened.</param>
/// <param name="Value">The object after the change (its last state for <see cref="WatchEventType.Deleted"/>).</param>
public sealed record WatchEvent<T>(WatchEventType Type, T Value)
    where T : class, IKubeResource;
