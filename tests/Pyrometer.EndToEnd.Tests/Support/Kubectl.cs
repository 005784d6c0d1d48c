using System.Text.Json;

namespace Pyrometer.EndToEnd.Tests.Support;

/// <summary>kubectl as a user runs it (the admin kubeconfig from KUBECONFIG), in the suite's namespace.</summary>
internal sealed class Kubectl(string @namespace)
{
    public string Namespace { get; } = @namespace;

    public Task<CommandResult> RunAsync(params string[] arguments) => RunWithInputAsync(null, arguments);

    public Task<CommandResult> RunWithInputAsync(string? stdin, params string[] arguments) =>
        Command.RunAsync("kubectl", ["--namespace", Namespace, .. arguments], stdin);

    /// <summary>Applies a manifest; fails the test with kubectl's message when the API server refuses it.</summary>
    public async Task ApplyAsync(string yaml) =>
        (await RunWithInputAsync(yaml, "apply", "-f", "-")).EnsureSuccess();

    public async Task<JsonElement> GetJsonAsync(string kind, string name)
    {
        var result = (await RunAsync("get", kind, name, "-o", "json")).EnsureSuccess();
        using var document = JsonDocument.Parse(result.Stdout);
        return document.RootElement.Clone();
    }

    public async Task<string> ExecAsync(string pod, string container, params string[] command) =>
        (await RunAsync(["exec", pod, "-c", container, "--", .. command])).EnsureSuccess().Stdout;

    public async Task<IReadOnlyList<string>> PodNamesAsync(string selector)
    {
        var result = (await RunAsync("get", "pods", "-l", selector, "--field-selector", "status.phase=Running",
            "-o", "jsonpath={.items[*].metadata.name}")).EnsureSuccess();
        return result.Stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToList();
    }
}
