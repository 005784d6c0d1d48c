using System.Text.Json.Serialization;

namespace Pyrometer.Agent.Contracts;

/// <summary>
/// The same JSON as <see cref="ContractsJsonContext"/>, for writing only: generated serialisation
/// code instead of property metadata. The agent writes one result per run, and building the
/// metadata of every contract type first was an eighth of the CPU of a 1 s run (issue #13).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    GenerationMode = JsonSourceGenerationMode.Serialization)]
[JsonSerializable(typeof(AgentResult))]
internal sealed partial class ContractsWriteJsonContext : JsonSerializerContext;
