using System.Globalization;
using Pyrometer.Operator.Api.V1Alpha1;

namespace Pyrometer.Operator.Injection;

/// <summary>Builds the agent's command line and upload environment from a request, as the agent contract specifies (pure).</summary>
internal static class AgentArgsBuilder
{
    public const string Binary = "pyrometer";
    public const string TerminationMessagePath = "/dev/termination-log";

    /// <summary>
    /// The environment variable holding the presigned upload URLs. They stay out of argv because the target shares the
    /// agent's PID namespace and /proc/PID/cmdline is world-readable; /proc/PID/environ needs ptrace access to the agent.
    /// </summary>
    public const string UploadsVariable = "PYROMETER_UPLOADS";

    /// <param name="spec">The validated spec.</param>
    /// <param name="duration">The parsed <c>spec.duration</c>.</param>
    /// <param name="uploads">format → presigned PUT URL, one per format the agent writes.</param>
    public static AgentLaunch Build(ProfileRequestSpec spec, TimeSpan duration, IReadOnlyList<KeyValuePair<string, Uri>> uploads)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(uploads);
        if (uploads.Count == 0)
        {
            throw new ArgumentException("The agent needs at least one upload URL.", nameof(uploads));
        }
        // Every value travels as one '--option=value' token: the parser then never reads a value as an option of its
        // own, whatever it starts with (the validator refuses a leading '-' or '@' as well).
        var args = new List<string> { "record" };
        if (spec.Target.Process?.Pid is int pid)
        {
            args.Add(Option("pid", pid.ToString(CultureInfo.InvariantCulture)));
        }
        else
        {
            args.Add(Option("pid", "auto"));
            if (spec.Target.Process?.CommandMatch is { Length: > 0 } match)
            {
                args.Add(Option("match", match));
            }
        }
        if (spec.Subprocesses)
        {
            args.Add("--subprocesses");
        }
        args.Add(Option("rate", spec.Rate.ToString(CultureInfo.InvariantCulture)));
        // The agent takes seconds; a sub-second remainder (1.5s) is rounded up so it never samples less than asked.
        args.Add(Option("duration", ((long)Math.Ceiling(duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture)));
        args.Add(Option("mode", spec.Mode));
        if (spec.Blocking)
        {
            args.Add("--blocking");
        }
        args.Add(Option("format", string.Join(',', uploads.Select(u => u.Key))));
        args.Add(Option("upload-env", UploadsVariable));
        args.Add(Option("result-file", TerminationMessagePath));
        var lines = uploads.Select(u => u.Key + "=" + u.Value.AbsoluteUri);
        return new AgentLaunch(args, string.Join('\n', lines));
    }

    private static string Option(string name, string value) => "--" + name + "=" + value;
}
