using System.Globalization;
using System.Net;
using k8s;
using k8s.Models;

namespace Pyrometer.Kube.Api;

/// <summary>A call the API server refused or failed, with the <see cref="V1Status"/> it returned.</summary>
public sealed class KubeApiException : Exception
{
    /// <summary>Creates an exception with no server status.</summary>
    public KubeApiException()
        : this("The Kubernetes API call failed.")
    {
    }

    /// <summary>Creates an exception with a message and no server status.</summary>
    /// <param name="message">The description.</param>
    public KubeApiException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception wrapping another.</summary>
    /// <param name="message">The description.</param>
    /// <param name="innerException">The cause.</param>
    public KubeApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for a failed call.</summary>
    /// <param name="statusCode">The HTTP status code (or the status's code for watch errors).</param>
    /// <param name="status">The server's Status, when it sent one.</param>
    /// <param name="verb">The verb, e.g. <c>GET</c> or <c>WATCH</c>.</param>
    /// <param name="path">The request path.</param>
    public KubeApiException(HttpStatusCode statusCode, V1Status? status, string verb, string path)
        : base(Describe(statusCode, status, verb, path))
    {
        StatusCode = statusCode;
        Status = status;
        Verb = verb;
        Path = path;
    }

    /// <summary>Turns a failed typed call of the official client into the same exception our own calls throw.</summary>
    internal static KubeApiException From(k8s.Autorest.HttpOperationException exception, string verb, string path) =>
        From(exception, verb, path, Serialization.KubeJson.Default);

    /// <inheritdoc cref="From(k8s.Autorest.HttpOperationException, string, string)"/>
    internal static KubeApiException From(
        k8s.Autorest.HttpOperationException exception, string verb, string path, System.Text.Json.JsonSerializerOptions json)
    {
        var code = exception.Response?.StatusCode ?? 0;
        var body = exception.Response?.Content is { Length: > 0 } content ? System.Text.Encoding.UTF8.GetBytes(content) : [];
        return new KubeApiException(code, KubeStatus.Parse(code, body, json), verb, path);
    }

    /// <summary>The HTTP status code.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The Status the server returned, if any.</summary>
    public V1Status? Status { get; }

    /// <summary>The verb of the failed call.</summary>
    public string Verb { get; } = "";

    /// <summary>The path of the failed call.</summary>
    public string Path { get; } = "";

    /// <summary>The machine-readable reason, e.g. <c>Conflict</c>.</summary>
    public string? Reason => Status?.Reason;

    /// <summary>The object (or the resource type) does not exist.</summary>
    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;

    /// <summary>A stale resourceVersion or an object that already exists: re-read and try again later.</summary>
    public bool IsConflict => StatusCode == HttpStatusCode.Conflict;

    /// <summary>The requested watch history has expired: list again.</summary>
    public bool IsGone => StatusCode == HttpStatusCode.Gone || Reason is "Expired" or "Gone";

    /// <summary>RBAC or an admission plugin (such as Pod Security Admission) refused the call.</summary>
    public bool IsForbidden => StatusCode == HttpStatusCode.Forbidden;

    /// <summary>Validation rejected the object or patch.</summary>
    public bool IsInvalid => StatusCode == HttpStatusCode.UnprocessableEntity;

    /// <summary>The server asked the client to slow down.</summary>
    public bool IsTooManyRequests => StatusCode == HttpStatusCode.TooManyRequests;

    private static string Describe(HttpStatusCode statusCode, V1Status? status, string verb, string path)
    {
        var reason = status?.Reason ?? statusCode.ToString();
        var detail = string.IsNullOrEmpty(status?.Message) ? "" : ": " + status.Message;
        return string.Create(CultureInfo.InvariantCulture, $"{verb} {path} failed with {(int)statusCode} {reason}{detail}");
    }
}
