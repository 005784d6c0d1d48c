using System.Text.Json;
using System.Text.Json.Serialization;
using Pyrometer.Kube.Models;

namespace Pyrometer.Kube.Serialization;

/// <summary>
/// Source-generated JSON metadata for the Kubernetes types in this assembly. Hosts combine it with
/// their own context through <see cref="KubeJson.CreateOptions"/>.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(Pod))]
[JsonSerializable(typeof(CoreEvent))]
[JsonSerializable(typeof(CoreNamespace))]
[JsonSerializable(typeof(TokenReview))]
[JsonSerializable(typeof(SubjectAccessReview))]
[JsonSerializable(typeof(Status))]
[JsonSerializable(typeof(ListMeta))]
[JsonSerializable(typeof(LabelSelector))]
[JsonSerializable(typeof(ApiResourceList))]
[JsonSerializable(typeof(ServerVersion))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class KubeJsonContext : JsonSerializerContext;
