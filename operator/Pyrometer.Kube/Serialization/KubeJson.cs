using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Pyrometer.Kube.Serialization;

/// <summary>Builds the serializer options the Kubernetes client uses.</summary>
public static class KubeJson
{
    /// <summary>Options for this assembly's types only.</summary>
    public static JsonSerializerOptions Default { get; } = CreateOptions();

    /// <summary>
    /// Creates options with camelCase names, nulls omitted and enums as strings, resolving types
    /// from <see cref="KubeJsonContext"/> first and then from <paramref name="resolvers"/> (for
    /// example the operator's own context with its custom resource types).
    /// </summary>
    /// <param name="resolvers">Further source-generated contexts.</param>
    public static JsonSerializerOptions CreateOptions(params IJsonTypeInfoResolver[] resolvers)
    {
        ArgumentNullException.ThrowIfNull(resolvers);
        var options = new JsonSerializerOptions(KubeJsonContext.Default.Options)
        {
            TypeInfoResolver = JsonTypeInfoResolver.Combine([KubeJsonContext.Default, .. resolvers]),
        };
        options.MakeReadOnly();
        return options;
    }

    /// <summary>Looks up source-generated metadata for <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidOperationException">No resolver knows the type.</exception>
    internal static JsonTypeInfo<T> TypeInfo<T>(this JsonSerializerOptions options)
    {
        if (options.TryGetTypeInfo(typeof(T), out var info) && info is JsonTypeInfo<T> typed)
        {
            return typed;
        }
        throw new InvalidOperationException(
            $"No JSON metadata for {typeof(T).FullName}: add [JsonSerializable(typeof({typeof(T).Name}))] to a " +
            "JsonSerializerContext and pass that context to KubeJson.CreateOptions.");
    }
}
