using System.Globalization;
using System.Text.RegularExpressions;
using Pyrometer.Kube.Api;
using Pyrometer.Operator.Api.V1Alpha1;

namespace Pyrometer.Operator.Controllers;

/// <summary>
/// Checks a spec against the API rules and the operator's caps (pure). The CRD's schema and CEL rules catch most of
/// this at admission; this runs again because caps are configuration and an old CRD may still be installed.
/// </summary>
internal static partial class SpecValidator
{
    /// <summary>Null when valid; otherwise every problem found, in one sentence each.</summary>
    public static string? Validate(ProfileRequest request, OperatorOptions options, out TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        var spec = request.Spec;
        var ns = request.Metadata.NamespaceProperty ?? "";
        if (options.AllowedNamespaces.Count > 0 && !options.AllowedNamespaces.Contains(ns, StringComparer.Ordinal))
        {
            problems.Add($"namespace {ns} is not served by this operator (allowed: {string.Join(", ", options.AllowedNamespaces)})");
        }
        var target = spec.Target;
        var hasPod = !string.IsNullOrEmpty(target.Pod);
        var hasSelector = target.Selector is not null;
        if (hasPod == hasSelector)
        {
            problems.Add("exactly one of target.pod and target.selector must be set");
        }
        if (target.MaxPods is int maxPods)
        {
            if (!hasSelector)
            {
                problems.Add("target.maxPods is only allowed with target.selector");
            }
            if (maxPods is < 1 or > ProfileTarget.MaxMaxPods)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"target.maxPods must be between 1 and {ProfileTarget.MaxMaxPods}, not {maxPods}"));
            }
        }
        if (hasSelector)
        {
            try
            {
                target.Selector!.ToSelectorString();
            }
            catch (FormatException e)
            {
                problems.Add(e.Message.TrimEnd('.'));
            }
        }
        if (target.Process is { Pid: not null, CommandMatch: not null })
        {
            problems.Add("at most one of process.pid and process.commandMatch may be set");
        }
        if (target.Process?.Pid is < 1)
        {
            problems.Add("process.pid must be positive");
        }
        if (target.Process?.CommandMatch is { } pattern)
        {
            if (pattern.StartsWith('-') || pattern.StartsWith('@'))
            {
                // Defence in depth with the CRD's pattern: an old CRD may be installed, and the agent's command line must
                // never see a value that looks like an option or a response file.
                problems.Add($"process.commandMatch must not start with '{pattern[0]}'; write [{pattern[0]}] to match that character");
            }
            else if (!IsRegex(pattern))
            {
                problems.Add($"process.commandMatch is not a valid regular expression: {pattern}");
            }
        }
        var cap = options.MaxDuration < ProfileRequestSpec.MaxDuration ? options.MaxDuration : ProfileRequestSpec.MaxDuration;
        if (!GoDuration.TryParse(spec.Duration, out duration))
        {
            problems.Add($"duration '{spec.Duration}' is not a duration like 30s, 5m or 1h");
        }
        else if (duration < ProfileRequestSpec.MinDuration || duration > cap)
        {
            problems.Add($"duration {spec.Duration} must be between 1s and {GoDuration.Format(cap)}");
        }
        var maxRate = Math.Min(options.MaxRate, ProfileRequestSpec.MaxRate);
        if (spec.Rate < 1 || spec.Rate > maxRate)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"rate {spec.Rate} must be between 1 and {maxRate}"));
        }
        if (!ProfileModes.All.Contains(spec.Mode, StringComparer.Ordinal))
        {
            problems.Add($"mode '{spec.Mode}' must be one of {string.Join(", ", ProfileModes.All)}");
        }
        if (spec.Formats.Count == 0)
        {
            problems.Add("formats must name at least one format");
        }
        foreach (var format in spec.Formats)
        {
            if (!ProfileFormats.All.Contains(format, StringComparer.Ordinal))
            {
                problems.Add($"format '{format}' must be one of {string.Join(", ", ProfileFormats.All)}");
            }
            else if (options.AllowedFormats.Count > 0 && !options.AllowedFormats.Contains(format, StringComparer.Ordinal))
            {
                problems.Add($"format '{format}' is not allowed by this operator (allowed: {string.Join(", ", options.AllowedFormats)})");
            }
        }
        if (spec.Formats.Distinct(StringComparer.Ordinal).Count() != spec.Formats.Count)
        {
            problems.Add("formats must not repeat a format");
        }
        if (spec.Baseline is { } baseline)
        {
            if (baseline.Length is 0 or > ProfileTarget.MaxNameLength || !BaselineName().IsMatch(baseline))
            {
                problems.Add($"baseline '{Shorten(baseline)}' must be the name of a ProfileRequest in this namespace or {ProfileRequestSpec.LatestBaseline}");
            }
            else if (baseline != ProfileRequestSpec.LatestBaseline && baseline == request.Metadata.Name)
            {
                problems.Add($"baseline must name another ProfileRequest, not this one (or be {ProfileRequestSpec.LatestBaseline})");
            }
        }
        if (!(spec.RegressionThreshold > 0 && spec.RegressionThreshold <= ProfileRequestSpec.MaxRegressionThreshold))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"regressionThreshold {spec.RegressionThreshold} must be above 0 and at most {ProfileRequestSpec.MaxRegressionThreshold} (percentage points)"));
        }
        if (spec.TtlSecondsAfterFinished is < 0)
        {
            problems.Add("ttlSecondsAfterFinished must not be negative");
        }
        return problems.Count == 0 ? null : "Invalid spec: " + string.Join("; ", problems) + ".";
    }

    // A hostile value can be long; the message quotes only its start.
    private static string Shorten(string value) => value.Length > 64 ? value[..64] + "..." : value;

    [GeneratedRegex(ProfileRequestSpec.BaselinePattern, RegexOptions.CultureInvariant)]
    private static partial Regex BaselineName();

    private static bool IsRegex(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
