using Pyrometer.Operator.Crd;

namespace Pyrometer.Operator.Api.V1Alpha1;

/// <summary>Picks the root process: by PID, by command line, or (neither) automatically.</summary>
[Schema("Picks the root process: by pid, by a regex over its command line, or automatically when neither is set.")]
internal sealed class ProcessSelector
{
    [Schema("A PID as seen inside the target container.", Minimum = 1)]
    public int? Pid { get; set; }

    [Schema("A regular expression over /proc/PID/cmdline; the topmost matching process is the root.", MaxLength = 256)]
    public string? CommandMatch { get; set; }
}
