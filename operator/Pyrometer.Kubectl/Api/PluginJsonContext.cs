using System.Text.Json.Serialization;

namespace Pyrometer.Kubectl.Api;

/// <summary>Source-generated JSON for the plugin's own types: camelCase, nulls omitted.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(ProfileRequestView))]
[JsonSerializable(typeof(LabelSelectorSpec))]
internal sealed partial class PluginJsonContext : JsonSerializerContext;
