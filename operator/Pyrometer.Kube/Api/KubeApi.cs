using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Pyrometer.Kube.Http;
using Pyrometer.Kube.Models;
using Pyrometer.Kube.Serialization;
using Pyrometer.Kube.Watch;

namespace Pyrometer.Kube.Api;

/// <summary>
/// <see cref="IKubeApi"/> over an <see cref="HttpClient"/> whose base address is the API server
/// (see <see cref="KubeClientFactory"/> for building one from a kubeconfig or in-cluster config).
/// Custom resources go through the client's custom-object calls, pods, events and namespaces through its typed CoreV1
/// calls; everything else, every watch and raw subresource calls go through our own requests over the client's pipeline.
/// </summary>
public sealed partial class KubeApi : IKubeApi
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
    /// <param name="resources">Where each type is served; <see cref="ResourceRegistry.CreateDefault"/> when null.</param>
    /// <param name="logger">Logger for retries and throttling.</param>
    /// <param name="time">Clock for backoff and rate limiting; the system clock when null.</param>
    /// <exception cref="ArgumentException">The client has no base address, or the options are invalid.</exception>
    public KubeApi(
        HttpClient http,
        KubeApiOptions? options = null,
        ResourceRegistry? resources = null,
        ILogger<KubeApi>? logger = null,
        TimeProvider? time = null)
        : this(KubeClientFactory.Over(http, Checked(options), time ?? TimeProvider.System, logger), options, resources, time)
    {
    }

    /// <summary>Creates a client over the official Kubernetes client built by <see cref="KubeClientFactory.Create"/>.</summary>
    /// <param name="client">The client; its pipeline holds the rate limiter, retries, authentication and TLS checks.</param>
    /// <param name="options">The options the client was built with (watch timeouts are read here); defaults when null.</param>
    /// <param name="resources">Where each type is served; <see cref="ResourceRegistry.CreateDefault"/> when null.</param>
    /// <param name="time">Clock for watch idle limits; the system clock when null.</param>
    public KubeApi(
        Kubernetes client,
        KubeApiOptions? options = null,
        ResourceRegistry? resources = null,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _options = Checked(options);
        _json = KubeJson.For(client);
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
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var resource = _resources.Get<T>();
        if (resource.IsCustom)
        {
            return await GetCustomAsync<T>(resource, key, cancellationToken).ConfigureAwait(false);
        }
        if (Core<T>(resource) is { } core)
        {
            return await GetCoreAsync(core, resource, key, cancellationToken).ConfigureAwait(false);
        }
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
        return Fill(await ReadAsync<T>(response, request, cancellationToken).ConfigureAwait(false), resource);
    }

    /// <inheritdoc />
    public async Task<KubernetesList<T>> ListAsync<T>(ListScope scope, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(scope);
        var resource = _resources.Get<T>();
        if (resource.IsCustom)
        {
            return await ListCustomAsync<T>(resource, scope, cancellationToken).ConfigureAwait(false);
        }
        var request = new KubeRequest(HttpMethod.Get, ResourcePath.List(resource, scope), "list", resource.Plural);
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, request, cancellationToken).ConfigureAwait(false);

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var list = await JsonSerializer.DeserializeAsync<KubernetesList<T>>(stream, _json, cancellationToken).ConfigureAwait(false)
            ?? throw new JsonException($"GET {request.Path} returned null.");
        return FillList(list, resource, request.Path);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(
        ListScope scope, string since, [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(since);
        var resource = _resources.Get<T>();
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
            var change = WatchEventParser.Parse<T>(line, _json, request.Path);
            Fill(change.Value, resource);
            yield return change;
        }
    }

    /// <inheritdoc />
    public async Task<T> CreateAsync<T>(T value, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(value);
        var resource = _resources.Get<T>();
        if (resource.IsCustom)
        {
            return await CreateCustomAsync(resource, value, cancellationToken).ConfigureAwait(false);
        }
        if (Core<T>(resource) is { } core)
        {
            return await CreateCoreAsync(core, resource, value, cancellationToken).ConfigureAwait(false);
        }
        var path = ResourcePath.Collection(resource, resource.Namespaced ? RequireNamespace(value, resource) : null);
        var request = new KubeRequest(HttpMethod.Post, path, "create", resource.Plural, KubeContent.Json(value, _json));
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return Fill(await ReadAsync<T>(response, request, cancellationToken).ConfigureAwait(false), resource);
    }

    /// <inheritdoc />
    public Task<T> PatchAsync<T>(ObjectKey key, KubePatch patch, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        PatchAsync<T>(key, null, patch, cancellationToken);

    /// <inheritdoc />
    public Task<T> PatchStatusAsync<T>(ObjectKey key, KubePatch patch, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        PatchAsync<T>(key, "status", patch, cancellationToken);

    /// <inheritdoc />
    public async Task<bool> DeleteAsync<T>(ObjectKey key, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var resource = _resources.Get<T>();
        if (resource.IsCustom)
        {
            return await DeleteCustomAsync(resource, key, cancellationToken).ConfigureAwait(false);
        }
        if (Core<T>(resource)?.Delete is { } delete)
        {
            return await DeleteCoreAsync(delete, resource, key, cancellationToken).ConfigureAwait(false);
        }
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
        where T : class, IKubernetesObject<V1ObjectMeta>
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
        return await ReadAsync<JsonElement>(response, request, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<V1APIResourceList> GetApiResourcesAsync(string group, string version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        var path = group.Length == 0 ? "/api/" + version : "/apis/" + group + "/" + version;
        var request = new KubeRequest(HttpMethod.Get, path, "get", "discovery");
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return await ReadAsync<V1APIResourceList>(response, request, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<VersionInfo> GetServerVersionAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _client.Version.GetCodeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e)
        {
            throw KubeApiException.From(e, "GET", "/version");
        }
    }

    private async Task<T> PatchAsync<T>(ObjectKey key, string? subresource, KubePatch patch, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(patch);
        var resource = _resources.Get<T>();
        if (resource.IsCustom && subresource is null or "status")
        {
            return await PatchCustomAsync<T>(resource, key, subresource is not null, patch, cancellationToken).ConfigureAwait(false);
        }
        var core = Core<T>(resource);
        if ((subresource is null ? core?.Patch : subresource == "status" ? core?.PatchStatus : null) is { } patchCall)
        {
            return await PatchCoreAsync(patchCall, resource, key, subresource is not null, patch, cancellationToken).ConfigureAwait(false);
        }
        var request = new KubeRequest(
            HttpMethod.Patch, ResourcePath.Item(resource, key, subresource), "patch",
            subresource is null ? resource.Plural : resource.Plural + "/" + subresource, patch.Content);
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return Fill(await ReadAsync<T>(response, request, cancellationToken).ConfigureAwait(false), resource);
    }

    private static string RequireNamespace(IKubernetesObject<V1ObjectMeta> value, ResourceInfo resource) =>
        string.IsNullOrWhiteSpace(value.Metadata?.NamespaceProperty)
            ? throw new ArgumentException($"{resource.Kind} is namespaced; set metadata.namespace before creating it.", nameof(value))
            : value.Metadata.NamespaceProperty;

    private static KubernetesList<T> FillList<T>(KubernetesList<T> list, ResourceInfo resource, string path)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        list.Metadata ??= new V1ListMeta();
        list.Items ??= [];
        foreach (var item in list.Items)
        {
            Fill(item ?? throw new JsonException($"A null item in {path}."), resource);
        }
        return list;
    }

    private static T Fill<T>(T value, ResourceInfo resource)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        // List items and some watch payloads omit apiVersion and kind.
        value.ApiVersion ??= resource.ApiVersion;
        value.Kind ??= resource.Kind;
        return value;
    }

    private async Task<T> ReadAsync<T>(HttpResponseMessage response, KubeRequest request, CancellationToken cancellationToken)
    {
        await EnsureSuccessAsync(response, request, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        // KubernetesJson.Deserialize reads a stream synchronously; this is the same serializer with the same options.
        return await JsonSerializer.DeserializeAsync<T>(stream, _json, cancellationToken).ConfigureAwait(false)
            ?? throw new JsonException($"{request.Method} {request.Path} returned null.");
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, KubeRequest request, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var status = await ReadStatusAsync(response, cancellationToken).ConfigureAwait(false);
        var verb = request.Verb == "watch" ? "WATCH" : request.Method.Method;
        throw new KubeApiException(response.StatusCode, status, verb, request.Path);
    }

    private async Task<V1Status?> ReadStatusAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return KubeStatus.Parse(response.StatusCode, body, _json);
    }
}
