using System.Diagnostics;
using System.Net;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Pyrometer.Kube.Api;

namespace Pyrometer.Kube.Http;

/// <summary>
/// A handler in the Kubernetes client's pipeline that sends every call (ours and the client's typed ones) through
/// the client-side rate limiter and retries 429s, 5xx responses and connection failures with backoff, honouring
/// Retry-After. Each attempt is a fresh copy of the request, because a sent request cannot be sent again.
/// </summary>
internal sealed partial class KubeRetryHandler : DelegatingHandler
{
    private readonly KubeApiOptions _options;
    private readonly TokenBucket _limiter;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Random? _random;

    public KubeRetryHandler(KubeApiOptions options, TimeProvider time, ILogger logger, Random? random = null)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _random = random;
        _limiter = new TokenBucket(options.Qps, options.Burst, time);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage original, CancellationToken cancellationToken)
    {
        var request = KubeRequestInfo.Of(original);
        var body = original.Content is null ? null : await original.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var backoff = new Backoff(_options.InitialBackoff, _options.MaxBackoff, _random);
        for (var attempt = 0; ; attempt++)
        {
            var throttled = await _limiter.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (throttled > TimeSpan.Zero)
            {
                LogThrottled(_logger, request.Verb, request.Path, throttled.TotalMilliseconds);
            }

            using var activity = KubeTelemetry.Source.StartActivity(request.Verb + " " + request.Resource, ActivityKind.Client);
            activity?.SetTag("http.request.method", original.Method.Method);
            activity?.SetTag("url.path", request.Path);
            var started = _time.GetTimestamp();
            HttpResponseMessage? response = null;
            Exception? failure = null;
            var message = attempt == 0 ? original : Copy(original, body);
            // Every attempt is bounded: an ordinary call until its body is read, a watch until its headers arrive (the
            // server sends them at once; the stream itself is bounded by the watch's idle limit, see WatchLineReader).
            // This token is not tied to the body of a watch: it is disposed when this method returns.
            using var attemptTimeout = new CancellationTokenSource(_options.RequestTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, attemptTimeout.Token);
            try
            {
                response = await base.SendAsync(message, linked.Token).ConfigureAwait(false);
                if (!request.Streaming)
                {
                    response.Content = await BoundedContent.ReadAsync(response.Content, _options.MaxResponseBytes, request, linked.Token)
                        .ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException e) when (attemptTimeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                response?.Dispose();
                response = null;
                failure = new TimeoutException(
                    $"{request.Verb} {request.Path} got no {(request.Streaming ? "response headers" : "complete response")} within {_options.RequestTimeout}.", e);
            }
            catch (KubeResponseTooLargeException e)
            {
                response?.Dispose();
                activity?.SetStatus(ActivityStatusCode.Error, e.Message);
                throw;                               // the same call would answer the same again
            }
            catch (HttpRequestException e)
            {
                response?.Dispose();
                response = null;
                failure = e;
            }

            if (response is null)
            {
                KubeTelemetry.Record(request.Verb, request.Resource, 0, _time.GetElapsedTime(started));
                activity?.SetStatus(ActivityStatusCode.Error, failure!.Message);
                if (!request.IsIdempotent || attempt >= _options.MaxRetries)
                {
                    ExceptionDispatchInfo.Throw(failure!);
                }
                var delay = backoff.Next();
                LogConnectionRetry(_logger, request.Verb, request.Path, delay.TotalMilliseconds, failure!);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var code = (int)response.StatusCode;
            KubeTelemetry.Record(request.Verb, request.Resource, code, _time.GetElapsedTime(started));
            activity?.SetTag("http.response.status_code", code);
            if (!ShouldRetry(request, response.StatusCode) || attempt >= _options.MaxRetries)
            {
                if (code >= 400)
                {
                    activity?.SetStatus(ActivityStatusCode.Error);
                }
                return response;
            }

            var wait = RetryAfter(response) ?? backoff.Next();
            response.Dispose();
            LogRetrying(_logger, request.Verb, request.Path, code, wait.TotalMilliseconds, attempt + 1);
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    internal static HttpRequestMessage Copy(HttpRequestMessage original, byte[]? body)
    {
        var copy = new HttpRequestMessage(original.Method, original.RequestUri)
        {
            Version = original.Version,
            VersionPolicy = original.VersionPolicy,
        };
        foreach (var (name, values) in original.Headers)
        {
            copy.Headers.TryAddWithoutValidation(name, values);
        }
        foreach (var (key, value) in original.Options)
        {
            copy.Options.Set(new HttpRequestOptionsKey<object?>(key), value);
        }
        if (body is not null)
        {
            copy.Content = new ByteArrayContent(body);
            foreach (var (name, values) in original.Content!.Headers)
            {
                copy.Content.Headers.TryAddWithoutValidation(name, values);
            }
        }
        return copy;
    }

    private static bool ShouldRetry(KubeRequestInfo request, HttpStatusCode status) =>
        // API Priority and Fairness answers 429 before the request runs, so even a POST or PATCH
        // can be repeated; a 5xx may come after the change was applied, so only idempotent verbs.
        status == HttpStatusCode.TooManyRequests || ((int)status >= 500 && request.IsIdempotent);

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        TimeSpan? wait = header?.Delta ?? (header?.Date is { } date ? date - _time.GetUtcNow() : null);
        if (wait is null)
        {
            return null;
        }
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > _options.MaxBackoff ? _options.MaxBackoff : wait;
    }
}
