using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Pyrometer.Operator.Storage;

/// <summary>
/// The default store when no S3 bucket is configured: artifacts live under a directory (a PVC or an emptyDir).
/// Agents upload with <c>PUT /artifacts/&lt;path&gt;?expires=…&amp;nonce=…&amp;max=…&amp;signature=…</c> on the
/// upload port, which serves nothing else: upload URLs are HMAC-signed for one path and a size limit, expire,
/// and work once (a used nonce is refused). People download with <c>GET /artifacts/&lt;path&gt;?expires=…&amp;signature=…</c>
/// on the read port: links are signed the same way for GET and expire after <see cref="BuiltInStoreOptions.LinkValidity"/>,
/// like S3's presigned GETs; nothing is readable without a signature.
/// </summary>
internal sealed partial class BuiltInArtifactStore : IArtifactStore
{
    public const string RouteSegment = "artifacts";
    public const string KeyFileName = ".signing-key";

    private const string NonceDirectoryName = ".nonces";
    private const string TempDirectoryName = ".tmp";
    private const int CopyBufferBytes = 81920;

    private static readonly TimeSpan StaleTempAge = TimeSpan.FromHours(1);

    private readonly BuiltInStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<BuiltInArtifactStore> _logger;
    private readonly string _root;
    private readonly string _temp;
    private readonly UrlSigner _signer;
    private readonly NonceLedger _ledger;

    public BuiltInArtifactStore(IOptions<StorageOptions> options, TimeProvider time, ILogger<BuiltInArtifactStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value.BuiltIn;
        _time = time;
        _logger = logger;
        _root = Path.GetFullPath(_options.RootPath);
        _temp = Path.Combine(_root, TempDirectoryName);
        try
        {
            Directory.CreateDirectory(_temp);
            RemoveStaleTempFiles();
            _signer = new UrlSigner(LoadOrCreateKey());
            _ledger = new NonceLedger(Path.Combine(_root, NonceDirectoryName), time);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw LocalFailure("prepare", e);
        }
        LogUsingBuiltIn(_logger, _root, _options.BaseUrl.GetLeftPart(UriPartial.Path));
    }

    public Task<Uri> PresignUploadAsync(ArtifactKey key, TimeSpan validFor, CancellationToken cancellationToken)
    {
        ArtifactPath.Validate(key);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(validFor, TimeSpan.Zero);
        var lifetime = validFor > S3StoreOptions.MaxPresignLifetime ? S3StoreOptions.MaxPresignLifetime : validFor;
        // The limit in force now is signed into the URL: a later, larger MaxUploadBytes does not widen it.
        var query = _signer.SignQuery(HttpMethods.Put, key.RelativePath, _time.GetUtcNow() + lifetime, UrlSigner.NewNonce(), _options.MaxUploadBytes);
        return Task.FromResult(new Uri(UrlOf(_options.BaseUrl, key) + "?" + query));
    }

    /// <summary>The artifact's address on the read port, without a signature (opening it needs a link from <see cref="LinkAsync"/>).</summary>
    public string UriOf(ArtifactKey key)
    {
        ArtifactPath.Validate(key);
        return UrlOf(_options.PublicUrl, key);
    }

    public Task<ArtifactLink> LinkAsync(ArtifactKey key, CancellationToken cancellationToken)
    {
        ArtifactPath.Validate(key);
        var expiresAt = _time.GetUtcNow() + _options.LinkValidity;
        var query = _signer.SignQuery(HttpMethods.Get, key.RelativePath, expiresAt, UrlSigner.NewNonce());
        // The signature covers whole seconds: report the expiry the URL carries.
        var carried = DateTimeOffset.FromUnixTimeSeconds(expiresAt.ToUnixTimeSeconds());
        return Task.FromResult(new ArtifactLink(new Uri(UrlOf(_options.PublicUrl, key) + "?" + query), carried));
    }

    /// <summary>
    /// Checks a download link: <paramref name="relativePath"/> exactly as sent, and its query parameters.
    /// Returns the artifact on success; otherwise the refusal (401 without a signature, 403 for a bad or expired one).
    /// </summary>
    public (ArtifactKey? Key, StoreReply? Refusal) CheckDownload(string relativePath, string? expires, string? nonce, string? signature)
    {
        if (!ArtifactPath.TryParse(relativePath, out var key, out var pathError))
        {
            return (null, new StoreReply(400, "Bad artifact path: " + pathError));
        }
        if (expires is null && nonce is null && signature is null)
        {
            return (null, new StoreReply(401, "Artifacts are read through signed links: use the url in the request's status.artifacts (kubectl get profilerequest NAME -o yaml), or the viewer."));
        }
        return _signer.Check(HttpMethods.Get, key.RelativePath, expires, nonce, signature, _time.GetUtcNow()) switch
        {
            SignatureVerdict.Valid => (key, null),
            SignatureVerdict.Expired => (null, new StoreReply(403, "This download link has expired; the request's status gets a fresh one when the operator next updates it, or ask for a new profile.")),
            _ => (null, new StoreReply(403, "This download link's signature is not valid for this artifact.")),
        };
    }

    public async Task<ArtifactCheck> VerifyAsync(ArtifactKey key, long bytes, string sha256, CancellationToken cancellationToken)
    {
        ArtifactPath.Validate(key);
        ArtifactVerification.ValidateExpectation(bytes, sha256);
        var where = UriOf(key);
        try
        {
            var file = new FileInfo(FileOf(key));
            if (!file.Exists)
            {
                return ArtifactVerification.Missing(where);
            }
            if (ArtifactVerification.SizeMismatch(where, file.Length, bytes) is { } mismatch)
            {
                return mismatch;
            }
            await using var content = OpenFile(file.FullName);
            return await ArtifactVerification.CompareHashAsync(content, where, file.Length, sha256, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw LocalFailure("verify", e);
        }
    }

    public Task<Stream?> OpenReadAsync(ArtifactKey key, CancellationToken cancellationToken)
    {
        ArtifactPath.Validate(key);
        try
        {
            return Task.FromResult<Stream?>(OpenFile(FileOf(key)));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw LocalFailure("read", e);
        }
    }

    public async Task WriteAsync(ArtifactKey key, Stream content, string contentType, CancellationToken cancellationToken)
    {
        ArtifactPath.Validate(key);
        ArgumentNullException.ThrowIfNull(content);
        var temp = NewTempPath();
        try
        {
            await using (var file = CreateTemp(temp))
            {
                await content.CopyToAsync(file, CopyBufferBytes, cancellationToken);
            }
            Publish(temp, key);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw LocalFailure("write", e);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public Task DeleteAsync(ArtifactKey key, CancellationToken cancellationToken)
    {
        ArtifactPath.Validate(key);
        try
        {
            File.Delete(FileOf(key));   // no error when it does not exist
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing was stored under this request: already gone.
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw LocalFailure("delete", e);
        }
        return Task.CompletedTask;
    }

    public Task DeleteRequestAsync(string @namespace, string request, CancellationToken cancellationToken)
    {
        if (!ArtifactPath.IsSafeSegment(@namespace) || !ArtifactPath.IsSafeSegment(request))
        {
            throw new ArgumentException($"'{@namespace}/{request}' is not a namespace and request name.", nameof(request));
        }
        var folder = Path.Combine(_root, @namespace, request);
        try
        {
            Directory.Delete(folder, recursive: true);
            LogDeleted(_logger, @namespace, request);
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing was ever stored for this request: deleting is already done.
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw LocalFailure("delete", e);
        }
        return Task.CompletedTask;
    }

    public Task CheckAccessAsync(CancellationToken cancellationToken)
    {
        var probe = NewTempPath();
        try
        {
            File.WriteAllBytes(probe, [1]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw LocalFailure("write a probe file", e);
        }
        finally
        {
            File.Delete(probe);
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// Accepts one agent upload. <paramref name="relativePath"/> is the path after <c>/artifacts/</c> exactly as
    /// the client sent it (not decoded); <paramref name="declaredLength"/> is the Content-Length, when sent;
    /// <paramref name="maxBytes"/> is the URL's signed <c>max</c> parameter.
    /// </summary>
    public async Task<StoreReply> AcceptUploadAsync(
        string relativePath, string? expires, string? nonce, string? maxBytes, string? signature, Stream body, long? declaredLength, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        // The path is tagged once it parsed: until then it is only what an unauthenticated client sent.
        using var activity = StorageTelemetry.StartUpload("receive artifact upload", ActivityKind.Server, path: null);
        var reply = await AcceptUploadCoreAsync(activity, relativePath, expires, nonce, maxBytes, signature, body, declaredLength, cancellationToken);
        activity?.SetTag("http.response.status_code", reply.StatusCode);
        if (!reply.Succeeded)
        {
            activity?.SetStatus(ActivityStatusCode.Error, reply.Message);
        }
        return reply;
    }

    private async Task<StoreReply> AcceptUploadCoreAsync(
        Activity? activity, string relativePath, string? expires, string? nonce, string? maxBytes, string? signature, Stream body, long? declaredLength, CancellationToken cancellationToken)
    {
        if (!ArtifactPath.TryParse(relativePath, out var key, out var pathError))
        {
            return Refuse(400, relativePath, "bad artifact path: " + pathError);
        }
        activity?.SetTag(StorageTelemetry.PathTag, key.RelativePath);
        var verdict = maxBytes is null
            ? SignatureVerdict.Malformed
            : _signer.Check(HttpMethods.Put, key.RelativePath, expires, nonce, signature, _time.GetUtcNow(), maxBytes);
        switch (verdict)
        {
            case SignatureVerdict.Malformed:
                return Refuse(403, key.RelativePath, "the upload URL lacks a well-formed expires, nonce, max or signature parameter");
            case SignatureVerdict.Forged:
                return Refuse(403, key.RelativePath, "the upload URL's signature was not issued by this operator for this path");
            case SignatureVerdict.Expired:
                return Refuse(403, key.RelativePath, "the upload URL has expired");
        }
        var expiresAt = long.Parse(expires!, NumberStyles.None, CultureInfo.InvariantCulture);
        if (_ledger.IsUsed(nonce!, expiresAt))
        {
            return Refuse(403, key.RelativePath, "the upload URL was already used; each URL accepts one upload");
        }
        // The smaller of the signed limit and today's setting: lowering MaxUploadBytes also binds old URLs.
        var limit = Math.Min(long.Parse(maxBytes!, NumberStyles.None, CultureInfo.InvariantCulture), _options.MaxUploadBytes);
        if (declaredLength > limit)
        {
            return Refuse(413, key.RelativePath, TooLarge(declaredLength.Value, limit));
        }

        var temp = NewTempPath();
        try
        {
            long received;
            IOException? cutOff;
            await using (var file = CreateTemp(temp))
            {
                (received, cutOff) = await CopyBoundedAsync(body, file, limit, cancellationToken);
            }
            if (cutOff is not null)
            {
                return Refuse(400, key.RelativePath, "the upload was cut off or malformed: " + cutOff.Message);
            }
            if (received > limit)
            {
                return Refuse(413, key.RelativePath, TooLarge(received, limit));
            }
            if (declaredLength is { } length && length != received)
            {
                return Refuse(400, key.RelativePath, string.Create(CultureInfo.InvariantCulture, $"the body held {received} bytes but Content-Length said {length}"));
            }
            // Consumed only once the whole body is here, so an upload cut off half-way can be retried with the
            // same URL; consumed before publishing, so two racing uses of one URL cannot both land.
            if (!_ledger.TryConsume(nonce!, expiresAt))
            {
                return Refuse(403, key.RelativePath, "the upload URL was already used; each URL accepts one upload");
            }
            Publish(temp, key);
            LogStored(_logger, key.RelativePath, received);
            return new StoreReply(200, string.Create(CultureInfo.InvariantCulture, $"stored {received} bytes"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw LocalFailure("store an upload", e);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Where <paramref name="key"/> lives on disk (for tests and diagnostics).</summary>
    public string FileOf(ArtifactKey key) => Path.Combine(_root, key.RelativePath);

    /// <summary>
    /// Copies at most <paramref name="limit"/> + 1 bytes. A failure reading the client's body is returned, not
    /// thrown, so it is told apart from a failure writing our own disk.
    /// </summary>
    private static async Task<(long Total, IOException? CutOff)> CopyBoundedAsync(Stream source, Stream destination, long limit, CancellationToken cancellationToken)
    {
        var buffer = new byte[CopyBufferBytes];
        long total = 0;
        while (true)
        {
            int read;
            try
            {
                read = await source.ReadAsync(buffer, cancellationToken);
            }
            catch (IOException e)
            {
                return (total, e);   // connection reset, or Kestrel's BadHttpRequestException for a malformed body
            }
            if (read == 0)
            {
                return (total, null);
            }
            total += read;
            if (total > limit)
            {
                return (total, null);   // stop reading: the caller refuses the upload
            }
            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
    }

    private static FileStream OpenFile(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, CopyBufferBytes, FileOptions.Asynchronous | FileOptions.SequentialScan);

    private static FileStream CreateTemp(string path) =>
        new(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, CopyBufferBytes, FileOptions.Asynchronous);

    private static string UrlOf(Uri baseUrl, ArtifactKey key) =>
        $"{baseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/')}/{RouteSegment}/{key.RelativePath}";

    /// <summary>
    /// Deletes partial uploads left by a crash. Only old ones: another replica sharing the volume may be
    /// receiving an upload right now.
    /// </summary>
    private void RemoveStaleTempFiles()
    {
        var cutoff = _time.GetUtcNow().UtcDateTime - StaleTempAge;
        foreach (var file in new DirectoryInfo(_temp).EnumerateFiles("*.part"))
        {
            if (file.LastWriteTimeUtc < cutoff)
            {
                file.Delete();
            }
        }
    }

    private string NewTempPath() => Path.Combine(_temp, Guid.NewGuid().ToString("N") + ".part");

    /// <summary>rename(2) within one file system: readers see the old file or the whole new one, never a part.</summary>
    private void Publish(string temp, ArtifactKey key)
    {
        var target = FileOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Move(temp, target, overwrite: true);
    }

    private static string TooLarge(long bytes, long limit) =>
        string.Create(CultureInfo.InvariantCulture, $"the upload of {bytes} bytes exceeds this URL's limit of {limit} bytes (Storage:BuiltIn:MaxUploadBytes)");

    private StoreReply Refuse(int status, string path, string reason)
    {
        // The path may be hostile client input: keep log lines short and printable.
        var printable = new string(path.Take(200).Select(c => char.IsControl(c) ? '?' : c).ToArray());
        LogRefused(_logger, printable, reason);
        return new StoreReply(status, reason);
    }

    private byte[] LoadOrCreateKey()
    {
        if (_options.SigningKey is { } configured)
        {
            return UrlSigner.TryDecodeKey(configured, out var key)
                ? key
                : throw new ArtifactStoreException(ArtifactStoreProblem.Other, "Storage:BuiltIn:SigningKey is not base64 of at least 32 bytes.");
        }
        var path = Path.Combine(_root, KeyFileName);
        try
        {
            var fresh = RandomNumberGenerator.GetBytes(UrlSigner.MinKeyBytes);
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;   // the key is a secret
            }
            using (var file = new FileStream(path, create))
            {
                file.Write(System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(fresh)));
            }
            LogGeneratedKey(_logger, _root);
            return fresh;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Kept from an earlier start (or another replica won the race): URLs it signed stay valid.
            return UrlSigner.TryDecodeKey(File.ReadAllText(path), out var kept)
                ? kept
                : throw new ArtifactStoreException(ArtifactStoreProblem.LocalStorage, $"The signing key file {path} is damaged; delete it to generate a new one (outstanding upload URLs then stop working).");
        }
    }

    private ArtifactStoreException LocalFailure(string action, Exception e) => new(
        ArtifactStoreProblem.LocalStorage,
        $"The built-in artifact store could not {action} under {_root}: {e.Message} Check that the volume is mounted, writable by the operator's user and not full.",
        e);
}
