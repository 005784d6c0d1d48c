using System.Globalization;
using System.Text.Json.Nodes;

namespace Pyrometer.Kube.Testing;

/// <summary>
/// The fake API server's state: objects with real, increasing resourceVersions, a change history
/// that watches replay from, and the open watches. Deletion honours finalizers as Kubernetes does: a DELETE of an
/// object that has finalizers only sets <c>metadata.deletionTimestamp</c> (MODIFIED); the write that empties its
/// finalizers removes it (DELETED); no finalizer can be added once deletion has started.
/// </summary>
internal sealed class FakeStore
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private readonly List<StoredEvent> _history = [];
    private readonly List<FakeWatch> _watches = [];
    private long _version = 1000;
    private long _oldestWatchable = 1000;
    private int _uid;

    /// <summary>The clock that stamps <c>metadata.deletionTimestamp</c>.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    public long Version
    {
        get
        {
            lock (_lock)
            {
                return _version;
            }
        }
    }

    public int OpenWatches
    {
        get
        {
            lock (_lock)
            {
                return _watches.Count;
            }
        }
    }

    public JsonObject? Get(FakeResource resource, string? ns, string name)
    {
        lock (_lock)
        {
            return _objects.TryGetValue(Key(resource, ns, name), out var value) ? (JsonObject)value.DeepClone() : null;
        }
    }

    public (List<JsonObject> Items, long Version) List(FakeResource resource, string? ns, Func<JsonObject, bool> filter)
    {
        lock (_lock)
        {
            var prefix = resource.Plural + "|" + (ns is null ? "" : ns + "|");
            var items = _objects
                .Where(pair => pair.Key.StartsWith(prefix, StringComparison.Ordinal) && filter(pair.Value))
                .Select(pair => (JsonObject)pair.Value.DeepClone())
                .ToList();
            return (items, _version);
        }
    }

    public FakeResult Create(FakeResource resource, string? ns, JsonObject body)
    {
        lock (_lock)
        {
            var metadata = body["metadata"] as JsonObject ?? [];
            body["metadata"] = metadata;
            var name = (string?)metadata["name"];
            if (string.IsNullOrEmpty(name) && metadata["generateName"] is JsonValue generate)
            {
                name = (string?)generate + (++_uid).ToString(CultureInfo.InvariantCulture);
                metadata["name"] = name;
            }
            if (string.IsNullOrEmpty(name))
            {
                var invalid = FakeResult.Status(422, "Invalid", $"{resource.Kind} is invalid: metadata.name: Required value", kind: resource.Kind);
                invalid.Body["details"]!["causes"] = new JsonArray(new JsonObject
                {
                    ["reason"] = "FieldValueRequired",
                    ["message"] = "Required value: name or generateName is required",
                    ["field"] = "metadata.name",
                });
                return invalid;
            }
            if (ns is not null && metadata["namespace"] is JsonValue given && (string?)given != ns)
            {
                return FakeResult.Status(400, "BadRequest", "the namespace of the provided object does not match the namespace sent on the request");
            }
            var key = Key(resource, ns, name);
            if (_objects.ContainsKey(key))
            {
                return FakeResult.Status(409, "AlreadyExists", $"{resource.Plural} \"{name}\" already exists", name, resource.Plural);
            }
            if (ns is not null)
            {
                metadata["namespace"] = ns;
            }
            metadata["uid"] = "uid-" + (++_uid).ToString(CultureInfo.InvariantCulture);
            metadata["generation"] = 1;
            metadata["creationTimestamp"] = "2026-11-21T06:00:00Z";
            body["apiVersion"] = resource.ApiVersion;
            body["kind"] = resource.Kind;
            return Commit("ADDED", resource, ns, key, body, 201);
        }
    }

    public FakeResult Patch(FakeResource resource, string? ns, string name, JsonObject patch, string? subresource)
    {
        lock (_lock)
        {
            var key = Key(resource, ns, name);
            if (!_objects.TryGetValue(key, out var current))
            {
                return FakeResult.NotFound(resource, name);
            }
            var expected = (string?)patch["metadata"]?["resourceVersion"];
            if (expected is not null && expected != (string?)current["metadata"]!["resourceVersion"])
            {
                return FakeResult.Status(
                    409, "Conflict",
                    $"Operation cannot be fulfilled on {resource.Plural} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
                    name, resource.Plural);
            }
            var merged = (JsonObject)JsonMergePatch.Apply(current, patch)!;
            JsonObject next;
            switch (subresource)
            {
                case null:
                    // The main endpoint ignores status changes; /status ignores everything else.
                    next = merged;
                    Restore(next, current, "status");
                    break;
                case "status":
                    next = (JsonObject)current.DeepClone();
                    Restore(next, merged, "status");
                    break;
                case "ephemeralcontainers":
                    next = (JsonObject)current.DeepClone();
                    next["spec"]!["ephemeralContainers"] = merged["spec"]?["ephemeralContainers"]?.DeepClone();
                    break;
                default:
                    return FakeResult.Status(404, "NotFound", $"the server could not find the requested resource ({subresource})");
            }
            foreach (var immutable in (string[])["uid", "name", "namespace", "creationTimestamp", "resourceVersion"])
            {
                next["metadata"]![immutable] = current["metadata"]![immutable]?.DeepClone();
            }
            // Only the server starts a deletion: clients can neither set nor change these.
            Restore(next["metadata"]!.AsObject(), current["metadata"]!.AsObject(), "deletionTimestamp");
            Restore(next["metadata"]!.AsObject(), current["metadata"]!.AsObject(), "deletionGracePeriodSeconds");
            if (IsBeingDeleted(current) && Finalizers(next).Except(Finalizers(current), StringComparer.Ordinal).ToList() is { Count: > 0 } added)
            {
                return FakeResult.Status(
                    422, "Invalid",
                    $"{resource.Kind} \"{name}\" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers [{string.Join(' ', added)}]",
                    name, resource.Plural);
            }
            if (JsonNode.DeepEquals(next, current))
            {
                return new FakeResult(200, (JsonObject)current.DeepClone());   // a no-op patch writes nothing
            }
            if (IsBeingDeleted(next) && Finalizers(next).Count == 0)
            {
                return Remove(resource, ns, key, next);   // the last finalizer is gone: deletion completes
            }
            if (!JsonNode.DeepEquals(next["spec"], current["spec"]))
            {
                var generation = current["metadata"]!["generation"]?.ToString() is { } text ? long.Parse(text, CultureInfo.InvariantCulture) : 0;
                next["metadata"]!["generation"] = generation + 1;
            }
            return Commit("MODIFIED", resource, ns, key, next, 200);
        }
    }

    /// <summary>The subresource's GET: the Pod, or on a legacy server an EphemeralContainers object.</summary>
    public FakeResult GetEphemeralContainers(FakeResource resource, string? ns, string name, bool legacy)
    {
        lock (_lock)
        {
            if (!_objects.TryGetValue(Key(resource, ns, name), out var current))
            {
                return FakeResult.NotFound(resource, name);
            }
            return new FakeResult(200, legacy ? LegacyView(current) : (JsonObject)current.DeepClone());
        }
    }

    /// <summary>A PUT of the subresource: a whole Pod, or on a legacy server a whole EphemeralContainers object.</summary>
    public FakeResult ReplaceEphemeralContainers(FakeResource resource, string? ns, string name, JsonObject body, bool legacy = false)
    {
        lock (_lock)
        {
            var key = Key(resource, ns, name);
            if (!_objects.TryGetValue(key, out var current))
            {
                return FakeResult.NotFound(resource, name);
            }
            var kind = (string?)body["kind"];
            if (legacy && kind != "EphemeralContainers")
            {
                return FakeResult.Status(
                    400, "BadRequest",
                    $"{kind} in version \"v1\" cannot be handled as a EphemeralContainers: converting (v1.{kind}) to (core.EphemeralContainers): unknown conversion");
            }
            var list = legacy ? body["ephemeralContainers"] as JsonArray : body["spec"]?["ephemeralContainers"] as JsonArray;
            if (legacy && Forbidden(list, name) is { } invalid)
            {
                return invalid;
            }
            var next = (JsonObject)current.DeepClone();
            next["spec"]!["ephemeralContainers"] = list?.DeepClone();
            var result = Commit("MODIFIED", resource, ns, key, next, 200);
            return legacy ? new FakeResult(200, LegacyView(result.Body)) : result;
        }
    }

    /// <summary>Adds ephemeral containers, merging by name as a strategic merge patch does (existing entries never change).</summary>
    public FakeResult AddEphemeralContainers(FakeResource resource, string? ns, string name, JsonArray added, bool legacy)
    {
        lock (_lock)
        {
            var key = Key(resource, ns, name);
            if (!_objects.TryGetValue(key, out var current))
            {
                return FakeResult.NotFound(resource, name);
            }
            if (legacy && Forbidden(added, name) is { } invalid)
            {
                return invalid;
            }
            var next = (JsonObject)current.DeepClone();
            var list = next["spec"]!["ephemeralContainers"] as JsonArray;
            if (list is null)
            {
                list = [];
                next["spec"]!["ephemeralContainers"] = list;
            }
            var names = list.Select(c => (string?)c!["name"]).ToHashSet(StringComparer.Ordinal);
            foreach (var container in added)
            {
                if (names.Add((string?)container!["name"]))
                {
                    list.Add(container.DeepClone());
                }
            }
            if (JsonNode.DeepEquals(next, current))
            {
                return new FakeResult(200, legacy ? LegacyView(current) : (JsonObject)current.DeepClone());
            }
            var result = Commit("MODIFIED", resource, ns, key, next, 200);
            return legacy ? new FakeResult(200, LegacyView(result.Body)) : result;
        }
    }

    /// <summary>1.20's validation allow-list refuses securityContext on ephemeral containers.</summary>
    private static FakeResult? Forbidden(JsonArray? containers, string pod)
    {
        for (var i = 0; i < (containers?.Count ?? 0); i++)
        {
            if (containers![i]?["securityContext"] is not null)
            {
                return FakeResult.Status(
                    422, "Invalid",
                    string.Create(CultureInfo.InvariantCulture, $"The Pod \"{pod}\" is invalid: spec.ephemeralContainers[{i}].securityContext: Forbidden: cannot be set for an Ephemeral Container"),
                    pod, "pods");
            }
        }
        return null;
    }

    private static JsonObject LegacyView(JsonObject pod) => new()
    {
        ["kind"] = "EphemeralContainers",
        ["apiVersion"] = "v1",
        ["metadata"] = pod["metadata"]!.DeepClone(),
        ["ephemeralContainers"] = pod["spec"]?["ephemeralContainers"]?.DeepClone() ?? new JsonArray(),
    };

    public FakeResult Delete(FakeResource resource, string? ns, string name)
    {
        lock (_lock)
        {
            var key = Key(resource, ns, name);
            if (!_objects.TryGetValue(key, out var current))
            {
                return FakeResult.NotFound(resource, name);
            }
            if (Finalizers(current).Count == 0)
            {
                return Remove(resource, ns, key, current);
            }
            if (IsBeingDeleted(current))
            {
                return new FakeResult(200, (JsonObject)current.DeepClone());   // already waiting for its finalizers
            }
            var next = (JsonObject)current.DeepClone();
            next["metadata"]!["deletionTimestamp"] = Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            next["metadata"]!["deletionGracePeriodSeconds"] = 0;
            return Commit("MODIFIED", resource, ns, key, next, 200);
        }
    }

    /// <summary>The object's finalizers; empty when it has none.</summary>
    private static List<string> Finalizers(JsonObject value) =>
        value["metadata"]?["finalizers"] is JsonArray list ? [.. list.Select(f => (string?)f ?? "")] : [];

    private static bool IsBeingDeleted(JsonObject value) => value["metadata"]?["deletionTimestamp"] is JsonValue;

    private FakeResult Remove(FakeResource resource, string? ns, string key, JsonObject last)
    {
        _objects.Remove(key);
        _version++;
        last["metadata"]!["resourceVersion"] = _version.ToString(CultureInfo.InvariantCulture);
        Publish(new StoredEvent(_version, "DELETED", resource, ns, (JsonObject)last.DeepClone()));
        return new FakeResult(200, (JsonObject)last.DeepClone());
    }

    /// <summary>Registers a watch and returns the history after <paramref name="since"/>, or null when it has expired.</summary>
    public List<StoredEvent>? Subscribe(FakeWatch watch, long since)
    {
        lock (_lock)
        {
            if (since < _oldestWatchable)
            {
                return null;
            }
            _watches.Add(watch);
            return _history.Where(e => e.Version > since && watch.Covers(e.Resource, e.Namespace)).ToList();
        }
    }

    public void Unsubscribe(FakeWatch watch)
    {
        lock (_lock)
        {
            _watches.Remove(watch);
        }
    }

    /// <summary>Forgets all history: watches from any earlier version get 410 Gone.</summary>
    public void Compact()
    {
        lock (_lock)
        {
            _history.Clear();
            _oldestWatchable = _version;
        }
    }

    public void SendBookmarks()
    {
        lock (_lock)
        {
            foreach (var watch in _watches.Where(w => w.Bookmarks && !w.Stalled))
            {
                var bookmark = new JsonObject
                {
                    ["type"] = "BOOKMARK",
                    ["object"] = new JsonObject
                    {
                        ["kind"] = watch.Resource.Kind,
                        ["apiVersion"] = watch.Resource.ApiVersion,
                        ["metadata"] = new JsonObject { ["resourceVersion"] = _version.ToString(CultureInfo.InvariantCulture) },
                    },
                };
                watch.Lines.Writer.TryWrite(bookmark.ToJsonString());
            }
        }
    }

    /// <summary>
    /// Silences every open watch without closing it, as a dead route or a frozen proxy does: the TCP connection stays
    /// up and nothing more (no event, no bookmark, no close) is sent until the client gives up. Watches opened later
    /// are served normally. Returns how many were silenced.
    /// </summary>
    public int StallWatches()
    {
        lock (_lock)
        {
            var stalled = 0;
            foreach (var watch in _watches.Where(w => !w.Stalled))
            {
                watch.Stalled = true;
                stalled++;
            }
            return stalled;
        }
    }

    /// <summary>Open watches that still send (not stalled).</summary>
    public int LiveWatches
    {
        get
        {
            lock (_lock)
            {
                return _watches.Count(w => !w.Stalled);
            }
        }
    }

    public void DropWatches(bool abort)
    {
        lock (_lock)
        {
            foreach (var watch in _watches)
            {
                watch.Abort = abort;
                watch.Lines.Writer.TryComplete();
            }
            _watches.Clear();
        }
    }

    public static string Line(StoredEvent change) =>
        new JsonObject { ["type"] = change.Type, ["object"] = change.Object.DeepClone() }.ToJsonString();

    private FakeResult Commit(string type, FakeResource resource, string? ns, string key, JsonObject value, int code)
    {
        _version++;
        value["metadata"]!["resourceVersion"] = _version.ToString(CultureInfo.InvariantCulture);
        _objects[key] = value;
        Publish(new StoredEvent(_version, type, resource, ns, (JsonObject)value.DeepClone()));
        return new FakeResult(code, (JsonObject)value.DeepClone());
    }

    private void Publish(StoredEvent change)
    {
        _history.Add(change);
        var line = Line(change);
        foreach (var watch in _watches.Where(w => !w.Stalled && w.Covers(change.Resource, change.Namespace)))
        {
            watch.Lines.Writer.TryWrite(line);
        }
    }

    private static void Restore(JsonObject target, JsonObject source, string property)
    {
        if (source[property] is { } value)
        {
            target[property] = value.DeepClone();
        }
        else
        {
            target.Remove(property);
        }
    }

    private static string Key(FakeResource resource, string? ns, string name) =>
        resource.Plural + "|" + (ns is null ? "" : ns + "|") + name;
}
