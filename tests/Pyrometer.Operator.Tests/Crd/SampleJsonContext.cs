using System.Text.Json.Serialization;

namespace Pyrometer.Operator.Tests.Crd;

/// <summary>Serializes the plain tree a YAML sample is turned into.</summary>
[JsonSerializable(typeof(object))]
[JsonSerializable(typeof(Dictionary<string, object?>))]
[JsonSerializable(typeof(List<object?>))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(bool))]
internal sealed partial class SampleJsonContext : JsonSerializerContext;
