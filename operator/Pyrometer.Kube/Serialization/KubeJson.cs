using System.Runtime.CompilerServices;
using System.Text.Json;
using k8s;

namespace Pyrometer.Kube.Serialization;

/// <summary>
/// The one way this layer reads and writes Kubernetes objects, <c>k8s.Models</c> and a host's own custom resource
/// types alike: the client's <see cref="KubernetesJson"/>, with the very options instance the client's typed calls
/// use, so every type is loaded and described once (a second JSON stack for the same models costs memory for nothing).
/// </summary>
public static class KubeJson
{
    private static readonly ConditionalWeakTable<Kubernetes, JsonSerializerOptions> ByClient = [];
    private static JsonSerializerOptions? _default;

    /// <summary>
    /// The options of the first client this process built (a host builds one, so its typed calls, its raw calls and
    /// code that serializes without a client share one instance), or new ones when no client was built yet.
    /// </summary>
    public static JsonSerializerOptions Default =>
        Volatile.Read(ref _default) ??
        Interlocked.CompareExchange(ref _default, Configure(new KubernetesClientConfiguration { Host = "https://localhost/" }), null) ??
        _default!;

    /// <summary>Writes an object as the API server expects it (six-digit timestamps, nulls omitted).</summary>
    /// <param name="value">The object.</param>
    public static string Serialize<T>(T value) => KubernetesJson.Serialize(value, Default);

    /// <summary>Reads an object.</summary>
    /// <param name="json">The JSON text.</param>
    /// <exception cref="JsonException">The text is not JSON of that shape.</exception>
    public static T Deserialize<T>(string json) => KubernetesJson.Deserialize<T>(json, Default);

    /// <summary>Adds our timestamp format to a client's configuration and returns the options its calls will use.</summary>
    internal static JsonSerializerOptions Configure(KubernetesClientConfiguration config)
    {
        config.AddJsonOptions(json => json.Converters.Insert(0, new KubeClientTimeConverter()));
        return config.JsonSerializerOptions;
    }

    /// <summary>Remembers the options a client was built with (the client keeps them private).</summary>
    internal static Kubernetes Remember(Kubernetes client, JsonSerializerOptions options)
    {
        ByClient.AddOrUpdate(client, options);
        Interlocked.CompareExchange(ref _default, options, null);
        return client;
    }

    /// <summary>The options <paramref name="client"/> serializes with.</summary>
    internal static JsonSerializerOptions For(Kubernetes client) => ByClient.TryGetValue(client, out var options) ? options : Default;
}
