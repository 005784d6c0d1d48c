namespace Pyrometer.Kube.Models;

/// <summary>One page of a list call.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Metadata">The list's version and paging cursor.</param>
/// <param name="Items">The objects on this page.</param>
public sealed record ObjectList<T>(ListMeta Metadata, IReadOnlyList<T> Items)
    where T : class, IKubeResource;
