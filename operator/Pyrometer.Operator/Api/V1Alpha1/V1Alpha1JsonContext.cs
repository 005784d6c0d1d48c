using System.Text.Json.Serialization;
using k8s.Models;

namespace Pyrometer.Operator.Api.V1Alpha1;

/// <summary>Source-generated JSON metadata for the ProfileRequest status (camelCase, nulls omitted).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
// The status alone, for status patches and comparisons. Whole requests carry k8s.Models metadata and go through the
// client's serializer (Pyrometer.Kube.Serialization.KubeJson), so those models are described once, not twice.
[JsonSerializable(typeof(ProfileRequestStatus))]
internal sealed partial class V1Alpha1JsonContext : JsonSerializerContext;
