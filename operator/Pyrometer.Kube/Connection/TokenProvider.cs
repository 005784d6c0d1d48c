using k8s.Authentication;
using Microsoft.Extensions.Logging;

namespace Pyrometer.Kube.Connection;

/// <summary>
/// Supplies the bearer token: a fixed one, or one read from a file and re-read periodically,
/// because projected service-account tokens are rotated by the kubelet (by default hourly).
/// </summary>
internal sealed partial class TokenProvider : IDisposable
{
    private readonly string? _fixed;
    private readonly string? _file;
    private readonly TimeSpan _refresh;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<ITokenProvider>? _renew;
    private ITokenProvider? _renewing;
    private string? _lastRenewed;
    private readonly Lock _lock = new();
    // The client's exec provider is not thread-safe: without this, every call in flight when the token nears
    // expiry would start its own copy of the plugin.
    private readonly SemaphoreSlim _renewal = new(1, 1);
    private string? _token;
    private long _readAt;

    public TokenProvider(
        string? token, string? file, TimeSpan refresh, TimeProvider time, ILogger logger,
        ITokenProvider? renewing = null, Func<ITokenProvider>? renew = null)
    {
        _renewing = renewing;
        _renew = renewing is null ? null : renew;
        _fixed = token;
        _file = file;
        _refresh = refresh;
        _time = time;
        _logger = logger;
    }

    public bool HasToken => _renewing is not null || _fixed is not null || _file is not null;

    /// <summary>The current token; a renewing source (an exec plugin) is asked first and renews it when it is about to expire.</summary>
    public async ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (_renewing is null)
        {
            return GetToken();
        }
        await _renewal.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ITokenProvider renewing;
            lock (_lock)
            {
                renewing = _renewing!;   // set once non-null, only ever replaced
            }
            var header = await renewing.GetAuthenticationHeaderAsync(cancellationToken).ConfigureAwait(false);
            var token = string.IsNullOrEmpty(header?.Parameter) ? null : header.Parameter;
            lock (_lock)
            {
                _lastRenewed = token;
            }
            return token;
        }
        finally
        {
            _renewal.Release();
        }
    }

    public string? GetToken()
    {
        if (_file is null)
        {
            return _fixed;
        }
        lock (_lock)
        {
            if (_token is null || _time.GetElapsedTime(_readAt) >= _refresh)
            {
                Read(_file);
            }
            return _token;
        }
    }

    public void Dispose() => _renewal.Dispose();

    /// <summary>
    /// After a 401 for <paramref name="rejected"/>: forces a re-read of the token file, or a new run of the exec plugin,
    /// on the next request. Only once per token: the other calls that were refused with the same token change nothing.
    /// </summary>
    public void Invalidate(string? rejected)
    {
        lock (_lock)
        {
            if (_renew is not null)
            {
                if (rejected is not null && rejected == _lastRenewed)
                {
                    _renewing = _renew();
                    _lastRenewed = null;
                    LogCredentialRefused(_logger);
                }
            }
            else if (_file is not null && _token is not null)
            {
                _readAt = _time.GetTimestamp() - (long)(_refresh.TotalSeconds * _time.TimestampFrequency) - 1;
            }
        }
    }

    private void Read(string file)
    {
        try
        {
            var token = File.ReadAllText(file).Trim();
            if (token.Length == 0)
            {
                throw new IOException($"The token file {file} is empty.");
            }
            _token = token;
            _readAt = _time.GetTimestamp();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && _token is not null)
        {
            // Mid-rotation the file can briefly be missing: keep using the previous token.
            LogTokenReadFailed(_logger, file, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubeConfigException($"Cannot read the bearer token file {file}: {e.Message}", e);
        }
    }

    [LoggerMessage(1102, LogLevel.Warning, "The API server refused the exec plugin's credential before it expired; the plugin runs again for the next call")]
    private static partial void LogCredentialRefused(ILogger logger);

    [LoggerMessage(1101, LogLevel.Warning, "Could not re-read the token file {TokenFile}; keeping the previous token")]
    private static partial void LogTokenReadFailed(ILogger logger, string tokenFile, Exception exception);
}
