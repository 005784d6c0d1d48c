using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Pyrometer.Operator.Storage;

/// <summary>
/// Checks <see cref="StorageOptions"/> at start-up. Only the store in use is checked, so leftover S3 keys
/// do not block a built-in install and vice versa. (Data annotations do not recurse into the nested
/// S3 / BuiltIn objects, so every rule lives here.)
/// </summary>
internal sealed partial class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    private static readonly TimeSpan MaxAuthCache = TimeSpan.FromMinutes(10);

    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = options.UsesS3 ? CheckS3(options.S3) : CheckBuiltIn(options.BuiltIn);
        if (options.Viewer.AuthCacheDuration < TimeSpan.Zero || options.Viewer.AuthCacheDuration > MaxAuthCache)
        {
            failures.Add($"Storage:Viewer:AuthCacheDuration must be between 0 and {MaxAuthCache} (a revoked permission lasts that long), got {options.Viewer.AuthCacheDuration}.");
        }
        var speedscope = options.Viewer.SpeedscopeUrl;
        if (speedscope.Length > 0 && (options.Viewer.SpeedscopeOrigin is null || !IsPlainHttpUrl(new Uri(speedscope)) || speedscope.Contains('#', StringComparison.Ordinal)))
        {
            failures.Add($"Storage:Viewer:SpeedscopeUrl must be empty (no speedscope link) or an absolute http or https URL without a query or fragment, e.g. {ViewerOptions.DefaultSpeedscopeUrl}; got '{speedscope}'.");
        }
        if (options.Viewer.MaxCompareProfileBytes <= 0)
        {
            failures.Add($"Storage:Viewer:MaxCompareProfileBytes must be positive, got {options.Viewer.MaxCompareProfileBytes}.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static List<string> CheckS3(S3StoreOptions s3)
    {
        var failures = new List<string>();
        if (!BucketName().IsMatch(s3.Bucket!))
        {
            failures.Add($"Storage:S3:Bucket '{s3.Bucket}' is not a valid bucket name (3-63 lowercase letters, digits, '.' and '-').");
        }
        if (s3.Endpoint is not null && !IsPlainHttpUrl(s3.Endpoint))
        {
            failures.Add("Storage:S3:Endpoint must be an absolute http or https URL without a query, e.g. http://minio.storage.svc:9000.");
        }
        if (string.IsNullOrWhiteSpace(s3.Region))
        {
            failures.Add("Storage:S3:Region must be set (us-east-1 suits most S3-compatible stores).");
        }
        if (s3.Prefix.StartsWith('/') || s3.Prefix.EndsWith('/') || s3.Prefix.Contains("//", StringComparison.Ordinal)
            || s3.Prefix.Split('/').Any(part => part is "." or ".."))
        {
            failures.Add($"Storage:S3:Prefix '{s3.Prefix}' must not start or end with '/', hold empty segments, '.' or '..'.");
        }
        var files = s3.AccessKeyIdFile is not null || s3.SecretAccessKeyFile is not null;
        var direct = s3.AccessKeyId is not null || s3.SecretAccessKey is not null;
        if (files && direct)
        {
            failures.Add("Storage:S3: give credentials either as files (AccessKeyIdFile, SecretAccessKeyFile) or as values (AccessKeyId, SecretAccessKey), not both.");
        }
        if (files && (s3.AccessKeyIdFile is null || s3.SecretAccessKeyFile is null))
        {
            failures.Add("Storage:S3: AccessKeyIdFile and SecretAccessKeyFile go together; set both.");
        }
        foreach (var (key, path) in new[] { ("AccessKeyIdFile", s3.AccessKeyIdFile), ("SecretAccessKeyFile", s3.SecretAccessKeyFile), ("SessionTokenFile", s3.SessionTokenFile) })
        {
            if (path is not null && !File.Exists(path))
            {
                failures.Add($"Storage:S3:{key} '{path}' does not exist; is the credentials Secret mounted there?");
            }
        }
        if (direct && (string.IsNullOrEmpty(s3.AccessKeyId) || string.IsNullOrEmpty(s3.SecretAccessKey)))
        {
            failures.Add("Storage:S3: AccessKeyId and SecretAccessKey go together; set both.");
        }
        if (s3.LinkValidity <= TimeSpan.Zero || s3.LinkValidity > S3StoreOptions.MaxPresignLifetime)
        {
            failures.Add($"Storage:S3:LinkValidity must be more than 0 and at most 7.00:00:00 (SigV4's limit), got {s3.LinkValidity}.");
        }
        if (s3.RequestTimeout <= TimeSpan.Zero)
        {
            failures.Add("Storage:S3:RequestTimeout must be positive.");
        }
        return failures;
    }

    private static List<string> CheckBuiltIn(BuiltInStoreOptions builtIn)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(builtIn.RootPath) || !Path.IsPathFullyQualified(builtIn.RootPath))
        {
            failures.Add($"Storage:BuiltIn:RootPath must be an absolute directory path, got '{builtIn.RootPath}'.");
        }
        if (!IsPlainHttpUrl(builtIn.BaseUrl))
        {
            failures.Add("Storage:BuiltIn:BaseUrl must be an absolute http or https URL without a query, e.g. http://pyrometer-operator.pyrometer.svc:8081.");
        }
        if (!IsPlainHttpUrl(builtIn.PublicUrl))
        {
            failures.Add("Storage:BuiltIn:PublicUrl must be an absolute http or https URL without a query, e.g. http://localhost:8080.");
        }
        if (builtIn.UploadPort is < 1 or > 65535)
        {
            failures.Add($"Storage:BuiltIn:UploadPort must be a TCP port (1-65535), got {builtIn.UploadPort}.");
        }
        if (builtIn.LinkValidity <= TimeSpan.Zero || builtIn.LinkValidity > S3StoreOptions.MaxPresignLifetime)
        {
            failures.Add($"Storage:BuiltIn:LinkValidity must be more than 0 and at most 7.00:00:00, got {builtIn.LinkValidity}.");
        }
        if (builtIn.SigningKey is not null && !UrlSigner.TryDecodeKey(builtIn.SigningKey, out _))
        {
            failures.Add($"Storage:BuiltIn:SigningKey must be base64 of at least {UrlSigner.MinKeyBytes} bytes (e.g. `openssl rand -base64 32`).");
        }
        if (builtIn.MaxUploadBytes <= 0)
        {
            failures.Add($"Storage:BuiltIn:MaxUploadBytes must be positive, got {builtIn.MaxUploadBytes}.");
        }
        return failures;
    }

    private static bool IsPlainHttpUrl(Uri? url) =>
        url is { IsAbsoluteUri: true } && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps) && url.Query.Length == 0;

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketName();
}
