using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Logging;
using Pyrometer.Kube.Http;
using Pyrometer.Kube.Models;
using Pyrometer.Kube.Serialization;
using Pyrometer.Kube.Watch;

namespace Pyrometer.Kube.Api;

/// <summary>
/// <see cref="IKubeApi"/> over an <see cref="HttpClient"/> whose base address is the API server
/// (see <see cref="KubeClientFactory"/> for building one from a kubeconfig or in-cluster config).
/// </summary>
public sealed class KubeApi : IKubeApi
{
    private readonly Kubernetes _client;
    private readonly KubeApiOptions _options;
    private readonly JsonSerializerOptions _json;
    private readonly ResourceRegistry _resources;
    private readonly TimeProvider _time;

    /// <summary>
    /// Creates a client over an existing <see cref="HttpClient"/> whose base address is the API server (tests, tools):
    /// its calls still go through the Kubernetes client's pipeline with the rate limiter and retries.
    /// </summary>
    /// <param name="http">A client with the API server as its base address and authentication in its handler.</param>
    /// <param name="options">Rate limits, retries and timeouts; defaults when null.</param>
    /// <param name="json">Serializer options from <see cref="KubeJson.CreateOptions"/>; <see cref="KubeJson.Default"/> when null.</param>
    /// <param name="resources">Where each type is served; <see cref="ResourceRegistry.CreateDefault"/> when null.</param>
    /// <param name="logger">Logger for retries and throttling.</param>
    /// <param name="time">Clock for backoff and rate limiting; the system clock when null.</param>
    /// <exception cref="ArgumentException">The client has no base address, or the options are invalid.</exception>
    public KubeApi(
        HttpClient http,
        KubeApiOptions? options = null,
        JsonSerializerOptions? json = null,
        ResourceRegistry? resources = null,
        ILogger<KubeApi>? logger = null,
        TimeProvider? time = null)
        : this(KubeClientFactory.Over(http, Checked(options), time ?? TimeProvider.System, logger), options, json, resources, time)
    {
    }

    /// <summary>Creates a client over the official Kubernetes client built by <see cref="KubeClientFactory.Create"/>.</summary>
    /// <param name="client">The client; its pipeline holds the rate limiter, retries, authentication and TLS checks.</param>
    /// <param name="options">The options the client was built with (watch timeouts are read here); defaults when null.</param>
    /// <param name="json">Serializer options from <see cref="KubeJson.CreateOptions"/>; <see cref="KubeJson.Default"/> when null.</param>
    /// <param name="resources">Where each type is served; <see cref="ResourceRegistry.CreateDefault"/> when null.</param>
    /// <param name="time">Clock for watch idle limits; the system clock when null.</param>
    public KubeApi(
        Kubernetes client,
        KubeApiOptions? options = null,
        JsonSerializerOptions? json = null,
        ResourceRegistry? resources = null,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _options = Checked(options);
        _json = json ?? KubeJson.Default;
        _resources = resources ?? ResourceRegistry.CreateDefault();
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The official client underneath, for typed calls this interface does not cover.</summary>
    public Kubernetes Client => _client;

    private static KubeApiOptions Checked(KubeApiOptions? options)
    {
        options ??= new KubeApiOptions();
        options.Validate();
        return options;
    }

    private Task<HttpResponseMessage> SendAsync(KubeRequest request, CancellationToken cancellationToken) =>
        // The retry handler in the client's pipeline buffers ordinary bodies within each attempt's timeout.
        _client.HttpClient.SendAsync(request.ToMessage(_client.BaseUri), HttpCompletionOption.ResponseHeadersRead, cancellationToken);

    /// <inheritdoc />
    public async Task<T?> GetAsync<T>(ObjectKey key, CancellationToken cancellationToken)
        where T : class, IKubeResource
    {
        var resource = _resources.Get<T>();
        var request = new KubeRequest(HttpMethod.Get, ResourcePath.Item(resource, key), "get", resource.Plural);
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            var status = await ReadStatusAsync(response, cancellationToken).ConfigureAwait(false);
            // A missing object comes with a Status; a bare 404 means the resource type itself is not
            // served (an uninstalled CRD, a wrong group), which must not look like "no object".
            if (status is not null)
            {
                return null;
            }
            throw new KubeApiException(HttpStatusCode.NotFound, null, "GET", request.Path);
        }
        return Fill(await ReadAsync(response, _json.TypeInfo<T>(), request, cancellationToken).ConfigureAwait(false), resource);
    }

    /// <inheritdoc />
    public async Task<ObjectList<T>> ListAsync<T>(ListScope scope, CancellationToken cancellationToken)
        where T : class, IKubeResource
    {
        ArgumentNullException.ThrowIfNull(scope);
        var resource = _resources.Get<T>();
        var request = new KubeRequest(HttpMethod.Get, ResourcePath.List(resource, scope), "list", resource.Plural);
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, request, cancellationToken).ConfigureAwait(false);

        // Items are read one by one so only T needs source-generated metadata, not ObjectList<T>.
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        var root = document.RootElement;
        var metadata = root.TryGetProperty("metadata", out var meta) && meta.ValueKind == JsonValueKind.Object
            ? meta.Deserialize(KubeJsonContext.Default.ListMeta) ?? new ListMeta()
            : new ListMeta();
        var items = new List<T>();
        if (root.TryGetProperty("items", out var array) && array.ValueKind == JsonValueKind.Array)
        {
            var typeInfo = _json.TypeInfo<T>();
            foreach (var element in array.EnumerateArray())
            {
                items.Add(Fill(element.Deserialize(typeInfo) ?? throw new JsonException($"A null item in {request.Path}."), resource));
            }
        }
        return new ObjectList<T>(metadata, items);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(
        ListScope scope, string since, [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class, IKubeResource
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(since);
        var resource = _resources.Get<T>();
        var typeInfo = _json.TypeInfo<T>();
        var serverTimeout = WatchTimeouts.ServerTimeout(_options.WatchTimeout, Random.Shared.NextDouble());
        var request = new KubeRequest(
            HttpMethod.Get, ResourcePath.Watch(resource, scope, since, serverTimeout), "watch", resource.Plural, Streaming: true);
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, request, cancellationToken).ConfigureAwait(false);
        // The server closes the stream after serverTimeout and sends bookmarks meanwhile; silence well past that
        // means the connection is dead without a reset (a vanished peer, a frozen proxy), which no read would notice.
        using var reader = new WatchLineReader(
            await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), _time, serverTimeout + _options.WatchIdleMargin);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            var change = WatchEventParser.Parse(line, typeInfo, request.Path);
            Fill(change.Value, resource);
            yield return change;
        }
    }

    /// <inheritdoc />
    public async Task<T> CreateAsync<T>(T value, CancellationToken cancellationToken)
        where T : class, IKubeResource
    {
        ArgumentNullException.ThrowIfNull(value);
        var resource = _resources.Get<T>();
        var typeInfo = _json.TypeInfo<T>();
        var path = ResourcePath.Collection(resource, resource.Namespaced ? RequireNamespace(value, resource) : null);
        var request = new KubeRequest(HttpMethod.Post, path, "create", resource.Plural, KubeContent.Json(value, typeInfo));
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return Fill(await ReadAsync(response, typeInfo, request, cancellationToken).ConfigureAwait(false), resource);
    }

    /// <inheritdoc />
    public Task<T> PatchAsync<T>(ObjectKey key, KubePatch patch, CancellationToken cancellationToken)
        where T : class, IKubeResource =>
        PatchAsync<T>(key, null, patch, cancellationToken);

    /// <inheritdoc />
    public Task<T> PatchStatusAsync<T>(ObjectKey key, KubePatch patch, CancellationToken cancellationToken)
        where T : class, IKubeResource =>
        PatchAsync<T>(key, "status", patch, cancellationToken);

    /// <inheritdoc />
    public async Task<bool> DeleteAsync<T>(ObjectKey key, CancellationToken cancellationToken)
        where T : class, IKubeResource
    {
        var resource = _resources.Get<T>();
        var request = new KubeRequest(HttpMethod.Delete, ResourcePath.Item(resource, key), "delete", resource.Plural);
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound &&
            await ReadStatusAsync(response, cancellationToken).ConfigureAwait(false) is not null)
        {
            return false;
        }
        await EnsureSuccessAsync(response, request, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public async Task<JsonElement> SendSubresourceAsync<T>(
        ObjectKey key, string subresource, HttpMethod method, KubeContent? content, CancellationToken cancellationToken)
        where T : class, IKubeResource
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subresource);
        ArgumentNullException.ThrowIfNull(method);
        if (method != HttpMethod.Get && method != HttpMethod.Patch && method != HttpMethod.Put)
        {
            throw new ArgumentException($"Subresource calls support GET, PATCH and PUT, not {method}.", nameof(method));
        }
        if ((method == HttpMethod.Get) != (content is null))
        {
            throw new ArgumentException("GET takes no body; PATCH and PUT need one.", nameof(content));
        }
        var resource = _resources.Get<T>();
        var request = new KubeRequest(
            method, ResourcePath.Item(resource, key, subresource), method.Method.ToLowerInvariant(), resource.Plural + "/" + subresource, content);
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, KubeJsonContext.Default.JsonElement, request, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ApiResourceList> GetApiResourcesAsync(string group, string version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        var path = group.Length == 0 ? "/api/" + version : "/apis/" + group + "/" + version;
        var request = new KubeRequest(HttpMethod.Get, path, "get", "discovery");
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, KubeJsonContext.Default.ApiResourceList, request, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ServerVersion> GetServerVersionAsync(CancellationToken cancellationToken)
    {
        try
        {
            var version = await _client.Version.GetCodeAsync(cancellationToken).ConfigureAwait(false);
            return new ServerVersion
            {
                Major = version.Major,
                Minor = version.Minor,
                GitVersion = version.GitVersion,
                Platform = version.Platform,
            };
        }
        catch (HttpOperationException e)
        {
            throw KubeApiException.From(e, "GET", "/version");
        }
    }

    private async Task<T> PatchAsync<T>(ObjectKey key, string? subresource, KubePatch patch, CancellationToken cancellationToken)
        where T : class, IKubeResource
    {
        ArgumentNullException.ThrowIfNull(patch);
        var resource = _resources.Get<T>();
        var request = new KubeRequest(
            HttpMethod.Patch, ResourcePath.Item(resource, key, subresource), "patch",
            subresource is null ? resource.Plural : resource.Plural + "/" + subresource, patch.Content);
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return Fill(await ReadAsync(response, _json.TypeInfo<T>(), request, cancellationToken).ConfigureAwait(false), resource);
    }

    private static string RequireNamespace(IKubeResource value, ResourceInfo resource) =>
        string.IsNullOrWhiteSpace(value.Metadata.Namespace)
            ? throw new ArgumentException($"{resource.Kind} is namespaced; set metadata.namespace before creating it.", nameof(value))
            : value.Metadata.Namespace;

    private static T Fill<T>(T value, ResourceInfo resource)
        where T : class, IKubeResource
    {
        // List items and some watch payloads omit apiVersion and kind.
        value.ApiVersion ??= resource.ApiVersion;
        value.Kind ??= resource.Kind;
        return value;
    }

    private static async Task<T> ReadAsync<T>(
        HttpResponseMessage response, JsonTypeInfo<T> typeInfo, KubeRequest request, CancellationToken cancellationToken)
    {
        await EnsureSuccessAsync(response, request, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return await JsonSerializer.DeserializeAsync(stream, typeInfo, cancellationToken).ConfigureAwait(false)
            ?? throw new JsonException($"{request.Method} {request.Path} returned null.");
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, KubeRequest request, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var status = await ReadStatusAsync(response, cancellationToken).ConfigureAwait(false);
        var verb = request.Verb == "watch" ? "WATCH" : request.Method.Method;
        throw new KubeApiException(response.StatusCode, status, verb, request.Path);
    }

    private static async Task<Status?> ReadStatusAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var status = JsonSerializer.Deserialize(body, KubeJsonContext.Default.Status);
            if (status is not null && status.Kind == "Status")
            {
                return status;
            }
        }
        catch (JsonException)
        {
            // Not JSON: proxies and the API server's own router answer with plain text.
        }
        if (body.Length == 0)
        {
            return null;
        }
        // Keep a readable excerpt of whatever came back, but mark it as not a server Status.
        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 512)).Trim();
        return response.StatusCode == HttpStatusCode.NotFound ? null : new Status { Message = text };
    }
}
