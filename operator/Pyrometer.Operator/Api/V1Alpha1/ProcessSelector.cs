namespace Pyrometer.Operator.Api.V1Alpha1;

/// <summary>Picks the root process: by PID, by command line, or (neither) automatically.</summary>
[Schema("Picks the root process: by pid, by a regex over its command line, or automatically when neither is set.")]
internal sealed class ProcessSelector
{
    [Schema("A PID as seen inside the target container.", Minimum = 1)]
    public int? Pid { get; set; }

    /// <summary>
    /// Refuses a leading '-' or '@': the agent's command line would read the first as an option and, with response files
    /// on, the second as a file to expand (issue #12). A regex that must start with a dash can write <c>[-]</c>.
    /// </summary>
    public const string CommandMatchPattern = "^($|[^@-])";

    [Schema("A regular expression over /proc/PID/cmdline; the topmost matching process is the root. It must not start with '-' or '@' (write [-] or [@] instead).",
        MaxLength = 256, Pattern = CommandMatchPattern)]
    public string? CommandMatch { get; set; }
}
