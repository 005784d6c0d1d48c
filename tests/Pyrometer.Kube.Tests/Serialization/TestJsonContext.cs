using System.Text.Json.Serialization;

namespace Pyrometer.Kube.Tests.Serialization;

/// <summary>An assembly's own context, combined with the Kube one as the operator will do.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(TestWidget))]
internal sealed partial class TestJsonContext : JsonSerializerContext;
