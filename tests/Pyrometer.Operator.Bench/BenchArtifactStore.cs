using Pyrometer.Operator.Storage;

namespace Pyrometer.Operator.Bench;

/// <summary>A store that accepts everything: the bench measures the controller, not storage.</summary>
internal sealed class BenchArtifactStore : IArtifactStore
{
    public Task<Uri> PresignUploadAsync(ArtifactKey key, TimeSpan validFor, CancellationToken cancellationToken) =>
        Task.FromResult(new Uri("https://store.bench/upload/" + key.RelativePath));

    public string UriOf(ArtifactKey key) => "bench://" + key.RelativePath;

    public Task<ArtifactLink> LinkAsync(ArtifactKey key, CancellationToken cancellationToken) =>
        Task.FromResult(new ArtifactLink(new Uri("https://store.bench/view/" + key.RelativePath), null));

    public Task<ArtifactCheck> VerifyAsync(ArtifactKey key, long bytes, string sha256, CancellationToken cancellationToken) =>
        Task.FromResult(new ArtifactCheck(true, bytes, null));

    public Task<Stream?> OpenReadAsync(ArtifactKey key, CancellationToken cancellationToken) => Task.FromResult<Stream?>(null);

    public Task WriteAsync(ArtifactKey key, Stream content, string contentType, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task DeleteAsync(ArtifactKey key, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task DeleteRequestAsync(string @namespace, string request, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task CheckAccessAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
