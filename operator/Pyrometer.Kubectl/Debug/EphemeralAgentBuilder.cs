using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Pyrometer.Kubectl.Cli;

namespace Pyrometer.Kubectl.Debug;

/// <summary>The agent's ephemeral container and the patch that adds it, for either server mode (pure).</summary>
internal static class EphemeralAgentBuilder
{
    /// <summary>
    /// Not the operator's "pyrometer-" prefix: the operator treats containers with that prefix as its own agents.
    /// </summary>
    public const string NamePrefix = "kubectl-pyrometer-";

    public static string NewName(string command)
    {
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        return NamePrefix + command + "-" + new string([.. Enumerable.Range(0, 5).Select(_ => alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)])]);
    }

    /// <summary>The agent's arguments: the busiest Python process in the target container's PID namespace.</summary>
    public static List<string> Args(DebugSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var args = new List<string> { settings.Command, "--pid=auto" };
        if (settings.Subprocesses)
        {
            args.Add("--subprocesses");
        }
        if (settings.Async)
        {
            args.Add("--async");
        }
        if (settings.Json)
        {
            args.Add("--json");
        }
        if (settings.Iterations is int iterations)
        {
            args.Add("--iterations=" + iterations.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return args;
    }

    public static JsonObject Container(string name, string targetContainer, AgentImage image, IReadOnlyList<string> args, bool interactive, InjectionMode mode, bool tty = true)
    {
        ArgumentNullException.ThrowIfNull(image);
        var container = new JsonObject
        {
            ["name"] = name,
            ["image"] = image.Reference,
            ["args"] = new JsonArray([.. args.Select(a => (JsonNode)JsonValue.Create(a))]),
            ["targetContainerName"] = targetContainer,
            ["terminationMessagePolicy"] = "FallbackToLogsOnError",
        };
        if (image.PullPolicy is not null)
        {
            container["imagePullPolicy"] = image.PullPolicy;
        }
        if (interactive)
        {
            // stdinOnce: the container's stdin closes when the (only) attached client leaves.
            container["stdin"] = true;
            container["stdinOnce"] = true;
            if (tty)
            {
                container["tty"] = true;
            }
        }
        if (mode == InjectionMode.Pod)
        {
            // Reading another process's memory needs CAP_SYS_PTRACE, as the operator's agent has. 1.20/1.21 refuse any
            // securityContext on an ephemeral container, so there the runtime's defaults apply (root, ptrace_scope 0).
            container["securityContext"] = new JsonObject
            {
                ["capabilities"] = new JsonObject { ["add"] = new JsonArray("SYS_PTRACE"), ["drop"] = new JsonArray("ALL") },
                ["allowPrivilegeEscalation"] = false,
                ["readOnlyRootFilesystem"] = true,
            };
        }
        return container;
    }

    /// <summary>The body for the subresource: a JSON patch appending to the legacy list, or a Pod-shaped strategic merge patch.</summary>
    public static JsonNode Patch(JsonObject container, InjectionMode mode) => mode == InjectionMode.Legacy
        ? new JsonArray(new JsonObject { ["op"] = "add", ["path"] = "/ephemeralContainers/-", ["value"] = container })
        : new JsonObject { ["spec"] = new JsonObject { ["ephemeralContainers"] = new JsonArray(container) } };
}
