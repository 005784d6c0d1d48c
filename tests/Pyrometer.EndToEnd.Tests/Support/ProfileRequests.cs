using System.Diagnostics;
using System.Text.Json;

namespace Pyrometer.EndToEnd.Tests.Support;

/// <summary>Creating ProfileRequests and waiting on their status, as a user or a GitOps tool would.</summary>
internal sealed class ProfileRequests(Kubectl kubectl)
{
    private static int _sequence;

    /// <summary>A name not used before in this run, so reruns against a kept cluster do not collide.</summary>
    public static string UniqueName(string prefix) =>
        $"{prefix}-{DateTime.UtcNow:HHmmss}-{Interlocked.Increment(ref _sequence)}";

    /// <summary>Applies a request whose spec is given as YAML lines below <c>spec:</c> (indented two spaces).</summary>
    public Task CreateAsync(string name, string spec) => kubectl.ApplyAsync($"""
        apiVersion: pyrometer.dev/v1alpha1
        kind: ProfileRequest
        metadata:
          name: {name}
        spec:
        {spec}
        """);

    /// <summary>A request for one pod by name, with the given duration and formats.</summary>
    public Task CreateForPodAsync(string name, string pod, int seconds, params string[] formats) => CreateAsync(name, $"""
          target:
            pod: {pod}
          duration: {seconds}s
          formats: [{string.Join(", ", formats)}]
        """);

    public async Task<JsonElement> StatusAsync(string name)
    {
        var request = await kubectl.GetJsonAsync("profilerequest", name);
        return request.TryGetProperty("status", out var status) ? status : default;
    }

    /// <summary>Polls until the phase is one of <paramref name="phases"/>; on timeout the message carries the last status.</summary>
    public Task<JsonElement> WaitForPhaseAsync(string name, TimeSpan timeout, params string[] phases) =>
        WaitUntilAsync(name, timeout, $"phase {string.Join('/', phases)}",
            status => status.TryGetProperty("phase", out var phase) && phases.Contains(phase.GetString()));

    /// <summary>Polls until the reason is <paramref name="reason"/> (or the request finished, which fails the wait's caller).</summary>
    public Task<JsonElement> WaitForReasonAsync(string name, TimeSpan timeout, string reason) =>
        WaitUntilAsync(name, timeout, $"reason {reason}", status =>
            status.TryGetProperty("reason", out var current) && current.GetString() == reason
            || status.TryGetProperty("phase", out var phase) && phase.GetString() is "Succeeded" or "Failed");

    private async Task<JsonElement> WaitUntilAsync(string name, TimeSpan timeout, string what, Func<JsonElement, bool> done)
    {
        var clock = Stopwatch.StartNew();
        JsonElement status = default;
        while (clock.Elapsed < timeout)
        {
            status = await StatusAsync(name);
            if (status.ValueKind == JsonValueKind.Object && done(status))
            {
                return status;
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"ProfileRequest {name} did not reach {what} within {timeout}; last status: {status}");
    }

    public static string Reason(JsonElement status) => status.GetProperty("reason").GetString() ?? "";

    public static string Message(JsonElement status) =>
        status.TryGetProperty("message", out var message) ? message.GetString() ?? "" : "";

    /// <summary>The status's artifacts as (pod, format, element).</summary>
    public static IReadOnlyList<(string Pod, string Format, JsonElement Artifact)> Artifacts(JsonElement status) =>
        status.TryGetProperty("artifacts", out var artifacts)
            ? artifacts.EnumerateArray()
                .Select(a => (a.GetProperty("pod").GetString() ?? "", a.GetProperty("format").GetString() ?? "", a))
                .ToList()
            : [];

    public static string TopFunction(JsonElement status) =>
        status.GetProperty("summary").GetProperty("topFunctions")[0].GetProperty("function").GetString() ?? "";
}
