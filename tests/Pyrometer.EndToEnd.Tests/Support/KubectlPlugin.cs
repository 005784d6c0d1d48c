namespace Pyrometer.EndToEnd.Tests.Support;

/// <summary>
/// The <c>kubectl-pyrometer</c> executable hack/e2e.sh built (PYROMETER_E2E_KUBECTL_PLUGIN), run as kubectl runs a
/// plugin: with the user's KUBECONFIG from the environment and the suite's namespace passed by -n.
/// </summary>
internal sealed class KubectlPlugin(string @namespace)
{
    public static string Path => Environment.GetEnvironmentVariable("PYROMETER_E2E_KUBECTL_PLUGIN") is { Length: > 0 } path
        ? path
        : throw new InvalidOperationException("PYROMETER_E2E_KUBECTL_PLUGIN is not set: run the end-to-end suite through hack/e2e.sh");

    /// <summary>The agent image hack/e2e.sh imports; the suite's operator runs on the node, so there is no Deployment to read it from.</summary>
    public const string AgentImage = "pyrometer.local/agent:dev";

    public Task<CommandResult> RunAsync(TimeSpan timeout, params string[] arguments) =>
        Command.RunAsync(Path, [.. arguments, "-n", @namespace], timeout: timeout);
}
