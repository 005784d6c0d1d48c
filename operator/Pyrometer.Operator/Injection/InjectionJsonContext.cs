using System.Text.Json.Serialization;
using Pyrometer.Kube.Models;

namespace Pyrometer.Operator.Injection;

/// <summary>Source-generated metadata for the agent container, serialized alone into patches.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EphemeralContainer))]
internal sealed partial class InjectionJsonContext : JsonSerializerContext;
