using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Pyrometer.Operator.Storage;

/// <summary>
/// Artifacts in an S3-compatible bucket. Agents get SigV4-presigned PUT URLs (at most 7 days, SigV4's limit)
/// and never see credentials. URLs signed with temporary credentials (STS, IRSA, instance roles) stop working
/// when those credentials expire, whatever their own expiry says; prefer long-lived keys for long requests.
/// Failures become <see cref="ArtifactStoreException"/> with the endpoint and bucket named and no signature.
/// </summary>
internal sealed partial class S3ArtifactStore : IArtifactStore, IDisposable
{
    private const int DeleteBatch = 1000;     // the most keys one DeleteObjects call takes

    private static readonly TimeSpan ReadUrlLifetime = TimeSpan.FromMinutes(15);

    private readonly S3StoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<S3ArtifactStore> _logger;
    private readonly AmazonS3Client _s3;
    private readonly HttpClient _http;
    private readonly string _bucket;
    private readonly string _prefix;
    private readonly string _endpoint;

    public S3ArtifactStore(IOptions<StorageOptions> options, TimeProvider time, ILogger<S3ArtifactStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value.S3;
        _time = time;
        _logger = logger;
        _bucket = _options.Bucket ?? throw new ArgumentException("Storage:S3:Bucket is not set.", nameof(options));
        _prefix = _options.Prefix.Trim('/');
        _endpoint = _options.Endpoint?.GetLeftPart(UriPartial.Authority) ?? $"AWS S3 in {_options.Region}";
        _s3 = CreateClient(_options);
        // Reads stream through presigned GETs on a plain HttpClient: the SDK's GetObject wraps the body in an
        // MD5-checking stream that allocates more than the object's size while it is read.
        _http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = _options.RequestTimeout, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        LogUsingS3(_logger, _bucket, _endpoint, _prefix);
    }

    public async Task<Uri> PresignUploadAsync(ArtifactKey key, TimeSpan validFor, CancellationToken cancellationToken)
    {
        ArtifactPath.Validate(key);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(validFor, TimeSpan.Zero);
        var (url, _) = await PresignAsync(HttpVerb.PUT, key, validFor);
        return url;
    }

    public string UriOf(ArtifactKey key)
    {
        ArtifactPath.Validate(key);
        return $"s3://{_bucket}/{ObjectKey(key)}";
    }

    public async Task<ArtifactLink> LinkAsync(ArtifactKey key, CancellationToken cancellationToken)
    {
        ArtifactPath.Validate(key);
        var (url, expiresAt) = await PresignAsync(HttpVerb.GET, key, _options.LinkValidity);
        return new ArtifactLink(url, expiresAt);
    }

    public async Task<ArtifactCheck> VerifyAsync(ArtifactKey key, long bytes, string sha256, CancellationToken cancellationToken)
    {
        ArtifactPath.Validate(key);
        ArtifactVerification.ValidateExpectation(bytes, sha256);
        var objectKey = ObjectKey(key);
        var where = UriOf(key);
        long stored;
        try
        {
            stored = (await _s3.GetObjectMetadataAsync(_bucket, objectKey, cancellationToken)).ContentLength;
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
        {
            // A HEAD answer has no body, so it cannot say *why* (no such bucket? bad key? no permission?):
            // ask with a listing, whose errors carry a code, and only then conclude the object is missing.
            await CheckAccessAsync(cancellationToken);
            if (e.StatusCode == HttpStatusCode.NotFound)
            {
                return ArtifactVerification.Missing(where);
            }
            throw Translate(e, "read the metadata of", objectKey, cancellationToken);
        }
        catch (Exception e) when (IsStoreFailure(e, cancellationToken))
        {
            throw Translate(e, "read the metadata of", objectKey, cancellationToken);
        }
        if (ArtifactVerification.SizeMismatch(where, stored, bytes) is { } mismatch)
        {
            return mismatch;
        }
        await using var content = await OpenObjectAsync(objectKey, cancellationToken);
        if (content is null)
        {
            return ArtifactVerification.Missing(where);   // deleted between the two calls
        }
        try
        {
            return await ArtifactVerification.CompareHashAsync(content, where, stored, sha256, cancellationToken);
        }
        catch (Exception e) when (IsStoreFailure(e, cancellationToken))
        {
            throw Translate(e, "read", objectKey, cancellationToken);
        }
    }

    public async Task<Stream?> OpenReadAsync(ArtifactKey key, CancellationToken cancellationToken)
    {
        ArtifactPath.Validate(key);
        return await OpenObjectAsync(ObjectKey(key), cancellationToken);
    }

    public async Task WriteAsync(ArtifactKey key, Stream content, string contentType, CancellationToken cancellationToken)
    {
        ArtifactPath.Validate(key);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        var objectKey = ObjectKey(key);
        string? spool = null;
        try
        {
            var body = content;
            if (!content.CanSeek)
            {
                // SigV4 signs the payload's hash, so the SDK must read the body twice: spool to disk, not memory.
                spool = Path.GetTempFileName();
                body = new FileStream(spool, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
                await content.CopyToAsync(body, cancellationToken);
                body.Position = 0;
            }
            await using (body == content ? null : body)
            {
                await _s3.PutObjectAsync(
                    new PutObjectRequest
                    {
                        BucketName = _bucket,
                        Key = objectKey,
                        InputStream = body,
                        ContentType = contentType,
                        AutoCloseStream = false,
                        // aws-chunked bodies are not understood by every S3-compatible store; a plain body is.
                        UseChunkEncoding = false,
                    },
                    cancellationToken);
            }
        }
        catch (Exception e) when (IsStoreFailure(e, cancellationToken))
        {
            throw Translate(e, "write", objectKey, cancellationToken);
        }
        finally
        {
            if (spool is not null)
            {
                File.Delete(spool);
            }
        }
    }

    public async Task DeleteAsync(ArtifactKey key, CancellationToken cancellationToken)
    {
        ArtifactPath.Validate(key);
        var objectKey = ObjectKey(key);
        try
        {
            // S3 answers 204 whether or not the key existed.
            await _s3.DeleteObjectAsync(_bucket, objectKey, cancellationToken);
        }
        catch (Exception e) when (IsStoreFailure(e, cancellationToken))
        {
            throw Translate(e, "delete", objectKey, cancellationToken);
        }
    }

    public async Task DeleteRequestAsync(string @namespace, string request, CancellationToken cancellationToken)
    {
        if (!ArtifactPath.IsSafeSegment(@namespace) || !ArtifactPath.IsSafeSegment(request))
        {
            throw new ArgumentException($"'{@namespace}/{request}' is not a namespace and request name.", nameof(request));
        }
        var folder = Under(ArtifactKey.RequestFolder(@namespace, request));
        var deleted = 0;
        try
        {
            string? continuation = null;
            do
            {
                var page = await _s3.ListObjectsV2Async(
                    new ListObjectsV2Request { BucketName = _bucket, Prefix = folder, MaxKeys = DeleteBatch, ContinuationToken = continuation },
                    cancellationToken);
                var keys = page.S3Objects?.Select(o => new KeyVersion { Key = o.Key }).ToList() ?? [];
                if (keys.Count > 0)
                {
                    var result = await _s3.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = _bucket, Objects = keys, Quiet = true }, cancellationToken);
                    if (result.DeleteErrors is { Count: > 0 } errors)
                    {
                        throw new ArtifactStoreException(
                            errors[0].Code == "AccessDenied" ? ArtifactStoreProblem.AccessDenied : ArtifactStoreProblem.Other,
                            string.Create(CultureInfo.InvariantCulture, $"S3 at {_endpoint} refused to delete {errors.Count} objects under s3://{_bucket}/{folder}, e.g. {errors[0].Key}: {errors[0].Code} {errors[0].Message}"));
                    }
                    deleted += keys.Count;
                }
                continuation = page.IsTruncated == true ? page.NextContinuationToken : null;
            }
            while (continuation is not null);
        }
        catch (Exception e) when (IsStoreFailure(e, cancellationToken))
        {
            throw Translate(e, "delete the objects under", folder, cancellationToken);
        }
        LogDeleted(_logger, @namespace, request, deleted);
    }

    public async Task CheckAccessAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket, Prefix = _prefix, MaxKeys = 1 }, cancellationToken);
        }
        catch (Exception e) when (IsStoreFailure(e, cancellationToken))
        {
            throw Translate(e, "list", _prefix, cancellationToken);
        }
    }

    public void Dispose()
    {
        _s3.Dispose();
        _http.Dispose();
    }

    /// <summary>The object key of an artifact: the configured prefix, then the artifact's relative path.</summary>
    public string ObjectKey(ArtifactKey key) => Under(key.RelativePath);

    private static AmazonS3Client CreateClient(S3StoreOptions options)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            Timeout = options.RequestTimeout,
            // Two retries: enough for a blip, short enough that a wrong endpoint is reported promptly.
            MaxErrorRetry = 2,
            // Checksums only where S3 requires them: S3-compatible stores vary in what they accept.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (options.Endpoint is { } endpoint)
        {
            config.ServiceURL = endpoint.GetLeftPart(UriPartial.Path);
            config.AuthenticationRegion = options.Region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }
        AWSCredentials? credentials = null;
        if (options.AccessKeyIdFile is not null && options.SecretAccessKeyFile is not null)
        {
            credentials = new FileCredentials(options.AccessKeyIdFile, options.SecretAccessKeyFile, options.SessionTokenFile);
        }
        else if (!string.IsNullOrEmpty(options.AccessKeyId) && !string.IsNullOrEmpty(options.SecretAccessKey))
        {
            credentials = new BasicAWSCredentials(options.AccessKeyId, options.SecretAccessKey);
        }
        // Without explicit credentials the SDK's default chain applies (environment, IRSA, instance role).
        return credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(credentials, config);
    }

    /// <summary>
    /// Streams an object through a short-lived presigned GET; null when there is no such key. Disposing the
    /// returned stream releases the connection.
    /// </summary>
    private async Task<Stream?> OpenObjectAsync(string objectKey, CancellationToken cancellationToken)
    {
        var (url, _) = await PresignAsync(HttpVerb.GET, objectKey, ReadUrlLifetime);
        HttpResponseMessage response;
        try
        {
            response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (Exception e) when (IsStoreFailure(e, cancellationToken))
        {
            throw Translate(e, "read", objectKey, cancellationToken);
        }
        if (response.IsSuccessStatusCode)
        {
            return await response.Content.ReadAsStreamAsync(cancellationToken);
        }
        using (response)
        {
            var code = await ReadErrorCodeAsync(response, cancellationToken);
            if (code == "NoSuchKey")
            {
                return null;
            }
            var failure = FromS3(code, response.StatusCode, $"{(int)response.StatusCode} {response.ReasonPhrase}", null, "read", $"s3://{_bucket}/{objectKey}");
            LogFailed(_logger, "read", $"s3://{_bucket}/{objectKey}", failure.Problem, failure.Message);
            throw failure;
        }
    }

    /// <summary>The <c>&lt;Code&gt;</c> of an S3 XML error body (read at most 64 KiB), or null.</summary>
    private static async Task<string?> ReadErrorCodeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var length = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        var text = System.Text.Encoding.UTF8.GetString(buffer, 0, length);
        var start = text.IndexOf("<Code>", StringComparison.Ordinal);
        var end = start < 0 ? -1 : text.IndexOf("</Code>", start, StringComparison.Ordinal);
        return end < 0 ? null : text[(start + "<Code>".Length)..end];
    }

    private Task<(Uri Url, DateTimeOffset ExpiresAt)> PresignAsync(HttpVerb verb, ArtifactKey key, TimeSpan validFor) =>
        PresignAsync(verb, ObjectKey(key), validFor);

    private async Task<(Uri Url, DateTimeOffset ExpiresAt)> PresignAsync(HttpVerb verb, string objectKey, TimeSpan validFor)
    {
        var lifetime = validFor > S3StoreOptions.MaxPresignLifetime ? S3StoreOptions.MaxPresignLifetime : validFor;
        var expiresAt = _time.GetUtcNow() + lifetime;
        var request = new GetPreSignedUrlRequest
        {
            BucketName = _bucket,
            Key = objectKey,
            Verb = verb,
            Expires = expiresAt.UtcDateTime,
            // The SDK presigns https unless told otherwise, even for an http ServiceURL.
            Protocol = _options.Endpoint?.Scheme == Uri.UriSchemeHttp ? Protocol.HTTP : Protocol.HTTPS,
        };
        try
        {
            return (new Uri(await _s3.GetPreSignedURLAsync(request)), expiresAt);
        }
        catch (AmazonClientException e)
        {
            throw new ArtifactStoreException(
                ArtifactStoreProblem.InvalidCredentials,
                $"No S3 credentials to sign URLs for bucket {_bucket} at {_endpoint}: set Storage:S3:AccessKeyIdFile and SecretAccessKeyFile (a mounted Secret), or give the operator's service account a role (IRSA). The SDK said: {e.Message}",
                e);
        }
    }

    private string Under(string relative) => _prefix.Length == 0 ? relative : _prefix + "/" + relative;

    private static bool IsStoreFailure(Exception e, CancellationToken cancellationToken) =>
        e is AmazonServiceException or AmazonClientException or HttpRequestException or SocketException or IOException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private ArtifactStoreException Translate(Exception e, string action, string objectKey, CancellationToken cancellationToken)
    {
        if (e is ArtifactStoreException known)
        {
            return known;
        }
        var target = $"s3://{_bucket}/{objectKey}";
        var failure = e switch
        {
            AmazonS3Exception s3 => FromS3(s3.ErrorCode, s3.StatusCode, s3.Message, s3, action, target),
            AmazonServiceException service when Unreachable(service) => UnreachableFailure(action, target, e),
            AmazonServiceException service => new ArtifactStoreException(ArtifactStoreProblem.Other, $"Could not {action} {target} at {_endpoint}: {service.Message}", e),
            AmazonClientException client when client.InnerException is null && client.Message.Contains("credential", StringComparison.OrdinalIgnoreCase) => new ArtifactStoreException(
                ArtifactStoreProblem.InvalidCredentials,
                $"No S3 credentials found to {action} {target}: set Storage:S3:AccessKeyIdFile and SecretAccessKeyFile (a mounted Secret), or give the operator's service account a role. The SDK said: {client.Message}",
                e),
            OperationCanceledException when !cancellationToken.IsCancellationRequested => new ArtifactStoreException(
                ArtifactStoreProblem.Unreachable,
                $"S3 at {_endpoint} did not answer within {_options.RequestTimeout.TotalSeconds:0} s while trying to {action} {target}; check Storage:S3:Endpoint and that the operator's network policy allows it.",
                e),
            _ when Unreachable(e) => UnreachableFailure(action, target, e),
            _ => new ArtifactStoreException(ArtifactStoreProblem.Other, $"Could not {action} {target} at {_endpoint}: {e.Message}", e),
        };
        LogFailed(_logger, action, target, failure.Problem, failure.Message);
        return failure;
    }

    private ArtifactStoreException FromS3(string? code, HttpStatusCode status, string message, Exception? e, string action, string target) => code switch
    {
        "InvalidAccessKeyId" => new(
            ArtifactStoreProblem.InvalidCredentials,
            $"S3 at {_endpoint} does not know the access key ID the operator used (InvalidAccessKeyId) to {action} {target}: check the accessKeyId in the credentials Secret (Storage:S3:AccessKeyIdFile) or the role the SDK picked up.",
            e),
        "SignatureDoesNotMatch" => new(
            ArtifactStoreProblem.InvalidCredentials,
            $"S3 at {_endpoint} rejected the operator's signature (SignatureDoesNotMatch) to {action} {target}: the secret access key does not belong to the access key ID, or Storage:S3:Region ('{_options.Region}') is wrong for this endpoint.",
            e),
        "ExpiredToken" or "InvalidToken" or "TokenRefreshRequired" => new(
            ArtifactStoreProblem.InvalidCredentials,
            $"S3 at {_endpoint} refused the session token ({code}) to {action} {target}: the temporary credentials expired or are malformed; refresh the Secret or the role's token.",
            e),
        "NoSuchBucket" => new(
            ArtifactStoreProblem.BucketNotFound,
            $"The bucket '{_bucket}' does not exist at {_endpoint} (NoSuchBucket): create it, or fix Storage:S3:Bucket{(_options.Endpoint is null ? " and Storage:S3:Region" : "")}.",
            e),
        "AccessDenied" or "AllAccessDisabled" => new(
            ArtifactStoreProblem.AccessDenied,
            $"S3 at {_endpoint} denied the operator's credentials to {action} {target} ({code}): grant s3:ListBucket on the bucket and s3:PutObject, s3:GetObject, s3:DeleteObject on {_bucket}/{Under("*")}.",
            e),
        "RequestTimeTooSkewed" => new(
            ArtifactStoreProblem.Other,
            $"S3 at {_endpoint} refused the request to {action} {target} because the operator's clock differs too much from the server's (RequestTimeTooSkewed): fix the node's time synchronisation.",
            e),
        _ when (int)status >= 500 => new(
            ArtifactStoreProblem.Unavailable,
            string.Create(CultureInfo.InvariantCulture, $"S3 at {_endpoint} failed to {action} {target}: {(int)status} {code} {message}; it may recover by itself."),
            e),
        _ => new(
            ArtifactStoreProblem.Other,
            string.Create(CultureInfo.InvariantCulture, $"S3 at {_endpoint} refused to {action} {target}: {(int)status} {code} {message}"),
            e),
    };

    private ArtifactStoreException UnreachableFailure(string action, string target, Exception e) => new(
        ArtifactStoreProblem.Unreachable,
        $"Cannot reach S3 at {_endpoint} to {action} {target}: {Innermost(e).Message} Check Storage:S3:Endpoint, DNS, and that network policies let the operator (and agents) connect.",
        e);

    private static bool Unreachable(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is HttpRequestException or SocketException)
            {
                return true;
            }
        }
        return false;
    }

    private static Exception Innermost(Exception e)
    {
        var inner = e;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }
        return inner;
    }
}
