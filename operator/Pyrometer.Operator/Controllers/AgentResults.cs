using System.Text;
using k8s.Models;
using Pyrometer.Agent.Contracts;

namespace Pyrometer.Operator.Controllers;

/// <summary>
/// The results agents left in their termination messages, each parsed once per reconcile: the artifact check and every
/// <see cref="NextStep.Decide"/> of the pass (a pass may decide again after a refusal, a merge or a comparison) share it.
/// A terminated container's message never changes, so remembering it cannot go stale.
/// </summary>
internal sealed class AgentResults
{
    private readonly Dictionary<(string Pod, string Container), AgentResult?> _parsed = [];

    /// <summary>The terminated state of <paramref name="container"/> in <paramref name="pod"/>, or null while it has not exited.</summary>
    public static V1ContainerStateTerminated? Terminated(V1Pod? pod, string container) =>
        pod?.Status?.EphemeralContainerStatuses?.FirstOrDefault(c => c.Name == container)?.State?.Terminated;

    /// <summary>The result in the message of an exited agent; null when the message is empty or unreadable.</summary>
    public AgentResult? Of(V1Pod pod, string container, V1ContainerStateTerminated terminated)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(terminated);
        var key = (pod.Metadata?.Uid ?? pod.Metadata?.Name ?? "", container);
        if (!_parsed.TryGetValue(key, out var result))
        {
            result = terminated.Message is { Length: > 0 } message ? AgentResultWriter.Parse(Encoding.UTF8.GetBytes(message)) : null;
            _parsed[key] = result;
        }
        return result;
    }
}
