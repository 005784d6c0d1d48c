using System.Text.Json.Serialization;

namespace Pyrometer.Operator.Api.V1Alpha1;

/// <summary>Source-generated JSON metadata for the ProfileRequest kind (camelCase, nulls omitted).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(ProfileRequest))]
[JsonSerializable(typeof(ProfileRequestStatus))]
// Read to follow a pod's ReplicaSet to its Deployment (Comparison/WorkloadOwnerResolver); served by the same options.
[JsonSerializable(typeof(ReplicaSet))]
internal sealed partial class V1Alpha1JsonContext : JsonSerializerContext;
