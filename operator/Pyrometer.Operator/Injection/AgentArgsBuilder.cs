using System.Globalization;
using Pyrometer.Operator.Api.V1Alpha1;

namespace Pyrometer.Operator.Injection;

/// <summary>Builds the agent's command line from a request, as the agent contract specifies (pure).</summary>
internal static class AgentArgsBuilder
{
    public const string Binary = "pyrometer";
    public const string TerminationMessagePath = "/dev/termination-log";

    /// <param name="spec">The validated spec.</param>
    /// <param name="duration">The parsed <c>spec.duration</c>.</param>
    /// <param name="uploads">format → presigned PUT URL, one per format the agent writes.</param>
    public static List<string> Build(ProfileRequestSpec spec, TimeSpan duration, IReadOnlyList<KeyValuePair<string, Uri>> uploads)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(uploads);
        if (uploads.Count == 0)
        {
            throw new ArgumentException("The agent needs at least one upload URL.", nameof(uploads));
        }
        var args = new List<string> { "record" };
        if (spec.Target.Process?.Pid is int pid)
        {
            args.AddRange(["--pid", pid.ToString(CultureInfo.InvariantCulture)]);
        }
        else
        {
            args.AddRange(["--pid", "auto"]);
            if (spec.Target.Process?.CommandMatch is { Length: > 0 } match)
            {
                args.AddRange(["--match", match]);
            }
        }
        if (spec.Subprocesses)
        {
            args.Add("--subprocesses");
        }
        args.AddRange(["--rate", spec.Rate.ToString(CultureInfo.InvariantCulture)]);
        // The agent takes seconds; a sub-second remainder (1.5s) is rounded up so it never samples less than asked.
        args.AddRange(["--duration", ((long)Math.Ceiling(duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture)]);
        args.AddRange(["--mode", spec.Mode]);
        if (spec.Blocking)
        {
            args.Add("--blocking");
        }
        args.AddRange(["--format", string.Join(',', uploads.Select(u => u.Key))]);
        foreach (var (format, url) in uploads)
        {
            args.AddRange(["--upload", format + "=" + url.AbsoluteUri]);
        }
        args.AddRange(["--result-file", TerminationMessagePath]);
        return args;
    }
}
