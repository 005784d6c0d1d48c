using Amazon.Runtime;

namespace Pyrometer.Operator.Storage;

/// <summary>
/// S3 credentials read from files, typically a mounted Secret. Kubernetes updates such files in place when the
/// Secret changes (it swaps a symlink), so the files are read again whenever their modification time moves.
/// </summary>
internal sealed class FileCredentials(string accessKeyIdFile, string secretAccessKeyFile, string? sessionTokenFile) : AWSCredentials
{
    private readonly Lock _lock = new();
    private ImmutableCredentials? _cached;
    private DateTime _cachedStamp;

    public override ImmutableCredentials GetCredentials()
    {
        var stamp = Stamp();
        lock (_lock)
        {
            if (_cached is null || stamp != _cachedStamp)
            {
                var token = sessionTokenFile is null ? null : Read(sessionTokenFile);
                _cached = new ImmutableCredentials(Read(accessKeyIdFile), Read(secretAccessKeyFile), token);
                _cachedStamp = stamp;
            }
            return _cached;
        }
    }

    private DateTime Stamp()
    {
        var stamp = File.GetLastWriteTimeUtc(accessKeyIdFile);
        var secret = File.GetLastWriteTimeUtc(secretAccessKeyFile);
        if (secret > stamp)
        {
            stamp = secret;
        }
        if (sessionTokenFile is not null && File.GetLastWriteTimeUtc(sessionTokenFile) is var token && token > stamp)
        {
            stamp = token;
        }
        return stamp;
    }

    private static string Read(string path)
    {
        try
        {
            var text = File.ReadAllText(path).Trim();
            return text.Length > 0
                ? text
                : throw new ArtifactStoreException(ArtifactStoreProblem.InvalidCredentials, $"The S3 credentials file {path} is empty.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArtifactStoreException(
                ArtifactStoreProblem.InvalidCredentials,
                $"The S3 credentials file {path} cannot be read ({e.Message}); is the Secret mounted and readable by the operator's user?",
                e);
        }
    }
}
