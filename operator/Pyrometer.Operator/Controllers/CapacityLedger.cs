using Pyrometer.Kube.Models;

namespace Pyrometer.Operator.Controllers;

/// <summary>
/// Concurrency slots for running agents: one per pod, a cap per namespace and one cluster-wide. In memory: only the
/// leader reconciles, and a new leader rebuilds it from the requests' status before its workers start.
/// </summary>
internal sealed class CapacityLedger
{
    private readonly Lock _lock = new();
    private readonly Dictionary<ObjectKey, (string Namespace, string[] Pods)> _held = [];
    private readonly int _perNamespace;
    private readonly int _total;

    public CapacityLedger(int perNamespace, int total)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perNamespace, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(total, 1);
        _perNamespace = perNamespace;
        _total = total;
    }

    /// <summary>Agents holding slots now.</summary>
    public int InUse
    {
        get
        {
            lock (_lock)
            {
                return _held.Values.Sum(h => h.Pods.Length);
            }
        }
    }

    /// <summary>Takes one slot per pod for the request, all or none; returns why not when full.</summary>
    public bool TryReserve(ObjectKey request, string @namespace, IReadOnlyList<string> pods, out string? refusal)
    {
        ArgumentNullException.ThrowIfNull(pods);
        lock (_lock)
        {
            refusal = null;
            if (_held.ContainsKey(request))
            {
                return true;
            }
            var busy = pods.FirstOrDefault(p => _held.Any(h => h.Value.Namespace == @namespace && h.Value.Pods.Contains(p, StringComparer.Ordinal)));
            if (busy is not null)
            {
                refusal = $"another profile is running in pod {@namespace}/{busy} (one at a time per pod).";
                return false;
            }
            var inNamespace = _held.Values.Where(h => h.Namespace == @namespace).Sum(h => h.Pods.Length);
            if (inNamespace + pods.Count > _perNamespace)
            {
                refusal = $"{inNamespace} agents are running in namespace {@namespace} (cap {_perNamespace}).";
                return false;
            }
            var total = _held.Values.Sum(h => h.Pods.Length);
            if (total + pods.Count > _total)
            {
                refusal = $"{total} agents are running cluster-wide (cap {_total}).";
                return false;
            }
            _held[request] = (@namespace, [.. pods]);
            return true;
        }
    }

    /// <summary>Records slots without checking caps: a new leader adopting requests that are already running.</summary>
    public void Adopt(ObjectKey request, string @namespace, IReadOnlyList<string> pods)
    {
        lock (_lock)
        {
            _held[request] = (@namespace, [.. pods]);
        }
    }

    /// <summary>Frees the request's slots; true when it held any.</summary>
    public bool Release(ObjectKey request)
    {
        lock (_lock)
        {
            return _held.Remove(request);
        }
    }
}
