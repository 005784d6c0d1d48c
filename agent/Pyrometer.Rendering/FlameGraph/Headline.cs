using System.Globalization;
using System.Text;
using Pyrometer.Rendering.Model;

namespace Pyrometer.Rendering.FlameGraph;

/// <summary>The title and subtitle lines of a flame graph, from metadata only (no clock reads).</summary>
internal static class Headline
{
    public static string Title(FlameGraphOptions options, Profile profile)
    {
        if (options.Title.Length > 0)
        {
            return options.Title;
        }
        return profile.Metadata.Target.Length > 0 ? "Pyrometer: " + profile.Metadata.Target : "Pyrometer";
    }

    /// <summary>E.g. <c>3 processes, Python 3.12.7 | 30 s at 100 Hz | 2,935 samples, 4 missed | started 2026-11-21 10:00:01Z</c>.</summary>
    public static string Subtitle(Profile profile)
    {
        var metadata = profile.Metadata;
        var parts = new List<string>();
        var processes = ProfileSummary.SamplesPerProcess(profile).Count;
        var target = new StringBuilder();
        if (processes > 0)
        {
            target.Append(CultureInfo.InvariantCulture, $"{processes} {(processes == 1 ? "process" : "processes")}");
        }
        if (metadata.PythonVersions.Count > 0)
        {
            target.Append(target.Length > 0 ? ", " : "").Append("Python ").AppendJoin(", ", metadata.PythonVersions);
        }
        if (target.Length > 0)
        {
            parts.Add(target.ToString());
        }
        if (metadata.Duration > TimeSpan.Zero || metadata.RateHz > 0)
        {
            var timing = new StringBuilder();
            if (metadata.Duration > TimeSpan.Zero)
            {
                timing.Append(CultureInfo.InvariantCulture, $"{metadata.Duration.TotalSeconds:0.##} s");
            }
            if (metadata.RateHz > 0)
            {
                timing.Append(timing.Length > 0 ? " at " : "").Append(CultureInfo.InvariantCulture, $"{metadata.RateHz:0.##} Hz");
            }
            parts.Add(timing.ToString());
        }
        var counts = string.Create(CultureInfo.InvariantCulture, $"{profile.TotalSamples:N0} samples, {metadata.MissedSamples:N0} missed");
        if (metadata.ErrorSamples > 0)
        {
            counts += string.Create(CultureInfo.InvariantCulture, $", {metadata.ErrorSamples:N0} unreadable");
        }
        parts.Add(counts);
        if (metadata.StartTime is { } start)
        {
            parts.Add("started " + start.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        }
        return string.Join(" | ", parts);
    }
}
