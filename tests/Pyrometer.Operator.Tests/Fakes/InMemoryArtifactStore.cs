using System.Collections.Concurrent;
using System.Security.Cryptography;
using Pyrometer.Operator.Storage;

namespace Pyrometer.Operator.Tests.Fakes;

/// <summary>An artifact store in memory: presigned URLs name the object, and <see cref="Upload"/> plays the agent's PUT.</summary>
internal sealed class InMemoryArtifactStore : IArtifactStore
{
    public const string UploadPrefix = "https://store.test/upload/";

    private readonly ConcurrentDictionary<string, byte[]> _objects = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _deleted = new();
    private int _presigned;

    private readonly ConcurrentQueue<TimeSpan> _lifetimes = new();

    public int Presigned => _presigned;

    /// <summary>The validity asked for with each presigned upload URL, in order.</summary>
    public IReadOnlyList<TimeSpan> UploadLifetimes => [.. _lifetimes];

    public IReadOnlyCollection<string> Paths => [.. _objects.Keys];

    public IReadOnlyList<string> DeletedRequests => [.. _deleted];

    /// <summary>When set, <see cref="DeleteRequestAsync"/> throws it (the store is failing) and deletes nothing.</summary>
    public ArtifactStoreException? DeleteFailure { get; set; }

    public Task<Uri> PresignUploadAsync(ArtifactKey key, TimeSpan validFor, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _presigned);
        _lifetimes.Enqueue(validFor);
        return Task.FromResult(new Uri(UploadPrefix + key.RelativePath + "?X-Signature=secret"));
    }

    public string UriOf(ArtifactKey key) => "mem://profiles/" + key.RelativePath;

    public Task<ArtifactLink> LinkAsync(ArtifactKey key, CancellationToken cancellationToken) =>
        Task.FromResult(new ArtifactLink(new Uri("https://store.test/view/" + key.RelativePath), null));

    public Task<ArtifactCheck> VerifyAsync(ArtifactKey key, long bytes, string sha256, CancellationToken cancellationToken)
    {
        if (!_objects.TryGetValue(key.RelativePath, out var content))
        {
            return Task.FromResult(new ArtifactCheck(false, null, "no object at " + key.RelativePath));
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(content));
        var matches = content.Length == bytes && string.Equals(hash, sha256, StringComparison.OrdinalIgnoreCase);
        return Task.FromResult(new ArtifactCheck(matches, content.Length, matches ? null : "size or SHA-256 differs from the agent's report"));
    }

    public Task<Stream?> OpenReadAsync(ArtifactKey key, CancellationToken cancellationToken) =>
        Task.FromResult<Stream?>(_objects.TryGetValue(key.RelativePath, out var content) ? new MemoryStream(content, writable: false) : null);

    public async Task WriteAsync(ArtifactKey key, Stream content, string contentType, CancellationToken cancellationToken)
    {
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy, cancellationToken);
        _objects[key.RelativePath] = copy.ToArray();
    }

    public Task DeleteAsync(ArtifactKey key, CancellationToken cancellationToken)
    {
        _objects.TryRemove(key.RelativePath, out _);
        return Task.CompletedTask;
    }

    public Task DeleteRequestAsync(string @namespace, string request, CancellationToken cancellationToken)
    {
        if (DeleteFailure is { } failure)
        {
            throw failure;
        }
        var folder = ArtifactKey.RequestFolder(@namespace, request);
        foreach (var path in _objects.Keys.Where(p => p.StartsWith(folder, StringComparison.Ordinal)).ToList())
        {
            _objects.TryRemove(path, out _);
        }
        _deleted.Enqueue(folder);
        return Task.CompletedTask;
    }

    public Task CheckAccessAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>What the agent does with a presigned URL: PUT the bytes. Returns the SHA-256 (hex) it would report.</summary>
    public string Upload(string url, byte[] content)
    {
        if (!url.StartsWith(UploadPrefix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Not an upload URL of this store: {url}", nameof(url));
        }
        var path = url[UploadPrefix.Length..url.IndexOf('?', StringComparison.Ordinal)];
        _objects[path] = content;
        return Convert.ToHexStringLower(SHA256.HashData(content));
    }

    public byte[]? Read(string relativePath) => _objects.TryGetValue(relativePath, out var content) ? content : null;
}
