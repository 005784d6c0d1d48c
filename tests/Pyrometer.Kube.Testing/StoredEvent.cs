using System.Text.Json.Nodes;

namespace Pyrometer.Kube.Testing;

/// <summary>One entry of the fake server's change history.</summary>
internal sealed record StoredEvent(long Version, string Type, FakeResource Resource, string? Namespace, JsonObject Object);
