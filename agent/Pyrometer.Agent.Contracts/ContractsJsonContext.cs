using System.Text.Json.Serialization;

namespace Pyrometer.Agent.Contracts;

/// <summary>Source-generated JSON for the contract types (camelCase, nulls omitted).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(AgentResult))]
public sealed partial class ContractsJsonContext : JsonSerializerContext;
