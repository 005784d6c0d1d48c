using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using Pyrometer.Kubectl.Api;
using Pyrometer.Kubectl.Kube;

namespace Pyrometer.Kubectl.Record;

/// <summary>Creates a ProfileRequest and follows it with a watch (list once, then watch from its resourceVersion).</summary>
internal sealed class ProfileRequestClient(IKubernetes client, string ns)
{
    /// <summary>A server-side watch ends after this long; the loop then resumes from the last version seen.</summary>
    private const int WatchTimeoutSeconds = 60;

    public async Task<ProfileRequestView> CreateAsync(JsonObject body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var name = body["metadata"]?["name"]?.GetValue<string>();
        try
        {
            using var document = JsonDocument.Parse(body.ToJsonString());
            var created = await client.CustomObjects.CreateNamespacedCustomObjectAsync(
                document.RootElement, RequestBodyBuilder.Group, RequestBodyBuilder.Version, ns, RequestBodyBuilder.Plural,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            return Read(created);
        }
        catch (HttpOperationException e)
        {
            throw KubeErrors.Explain(e, $"create profilerequest {name} in namespace {ns}", KubeErrors.CrdMissing);
        }
    }

    public async Task<ProfileRequestView?> GetAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var found = await client.CustomObjects.GetNamespacedCustomObjectAsync(
                RequestBodyBuilder.Group, RequestBodyBuilder.Version, ns, RequestBodyBuilder.Plural, name, cancellationToken: cancellationToken).ConfigureAwait(false);
            return Read(found);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == System.Net.HttpStatusCode.NotFound && KubeErrors.ServerMessage(e.Response.Content).IsStatus)
        {
            return null;
        }
        catch (HttpOperationException e)
        {
            throw KubeErrors.Explain(e, $"get profilerequest {name} in namespace {ns}");
        }
    }

    /// <summary>
    /// The request's states from now on, each time it changes, until it is finished or deleted (then the last state, or
    /// null). A watch that ends or expires (410) starts again from a fresh read, so nothing in between is missed.
    /// </summary>
    public async IAsyncEnumerable<ProfileRequestView?> FollowAsync(string name, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var current = await GetAsync(name, cancellationToken).ConfigureAwait(false);
        yield return current;
        while (current is not null && !IsFinished(current))
        {
            string? resourceVersion = current.Metadata?.ResourceVersion;
            var restart = false;
            var watch = client.CustomObjects.WatchListNamespacedCustomObjectAsync(
                RequestBodyBuilder.Group, RequestBodyBuilder.Version, ns, RequestBodyBuilder.Plural,
                fieldSelector: "metadata.name=" + name, resourceVersion: resourceVersion, timeoutSeconds: WatchTimeoutSeconds,
                allowWatchBookmarks: true, cancellationToken: cancellationToken);
            var events = watch.GetAsyncEnumerator(cancellationToken);
            try
            {
                while (!restart && await NextAsync(events, name).ConfigureAwait(false))
                {
                    var (type, item) = events.Current;
                    var seen = type is WatchEventType.Added or WatchEventType.Modified or WatchEventType.Deleted ? Read(item) : null;
                    if (seen is not null && seen.Metadata?.Name != name)
                    {
                        continue;   // the field selector already filters; this guards against a server that does not
                    }
                    switch (type)
                    {
                        case WatchEventType.Added or WatchEventType.Modified:
                            current = seen;
                            yield return current;
                            break;
                        case WatchEventType.Deleted:
                            current = null;
                            yield return null;
                            break;
                        case WatchEventType.Error:
                            restart = true;   // 410 Gone and friends: read again and watch from there
                            break;
                    }
                    if (current is null || IsFinished(current))
                    {
                        break;
                    }
                }
            }
            finally
            {
                await events.DisposeAsync().ConfigureAwait(false);
            }
            if (current is not null && !IsFinished(current))
            {
                // The watch timed out or expired: re-read, which also yields anything missed in between.
                current = await GetAsync(name, cancellationToken).ConfigureAwait(false);
                yield return current;
            }
        }
    }

    /// <summary>The next watch event; false when the watch ended, expired (410) or its connection dropped.</summary>
    private async Task<bool> NextAsync(IAsyncEnumerator<(WatchEventType, object)> events, string name)
    {
        try
        {
            return await events.MoveNextAsync().ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == System.Net.HttpStatusCode.Gone)
        {
            return false;
        }
        catch (HttpOperationException e)
        {
            throw KubeErrors.Explain(e, $"watch profilerequest {name} in namespace {ns}");
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            // The connection dropped: the caller reads the request again (which fails loudly if the server is gone)
            // and watches from there.
            return false;
        }
    }

    public static bool IsFinished(ProfileRequestView request) => request.Status?.Phase is "Succeeded" or "Failed";

    internal static ProfileRequestView Read(object? answer)
    {
        var element = answer switch
        {
            JsonElement e => e,
            null => throw new PluginException("the API server answered with an empty body"),
            _ => throw new PluginException($"the API server's answer came back as {answer.GetType().Name}, not JSON"),
        };
        return element.Deserialize(PluginJsonContext.Default.ProfileRequestView)
            ?? throw new PluginException("the API server answered with an empty ProfileRequest");
    }
}
