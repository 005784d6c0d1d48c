using System.Globalization;
using System.Text.RegularExpressions;
using Pyrometer.Agent.Cli;

namespace Pyrometer.Agent.Upload;

/// <summary>
/// Reads upload targets from an environment variable (<c>--upload-env NAME</c>): one <c>FORMAT=URL</c> per line.
/// The operator passes presigned URLs this way because a process's argv is world-readable in /proc/PID/cmdline
/// (the target shares the agent's PID namespace), while /proc/PID/environ needs ptrace access to the agent.
/// </summary>
internal static partial class UploadEnvironment
{
    /// <summary>The variable the operator sets in the agent's container.</summary>
    public const string DefaultVariable = "PYROMETER_UPLOADS";

    /// <summary>Presigned S3 URLs are ~1.5 KiB; one per format fits many times over.</summary>
    public const int MaxChars = 32 * 1024;

    /// <summary>Parses the variable's value; every problem goes to <paramref name="errors"/> without any URL's query.</summary>
    public static List<UploadTarget> Parse(string variable, string? value, List<string> errors)
    {
        var uploads = new List<UploadTarget>();
        if (!VariableName().IsMatch(variable))
        {
            errors.Add($"--upload-env names an environment variable (letters, digits and _), got '{variable}'");
            return uploads;
        }
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add($"--upload-env {variable}: that environment variable is not set or empty");
            return uploads;
        }
        if (value.Length > MaxChars)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"--upload-env {variable}: the value is longer than {MaxChars} characters"));
            return uploads;
        }
        var lines = value.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }
            var where = string.Create(CultureInfo.InvariantCulture, $"--upload-env {variable}, line {i + 1}");
            var separator = line.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0)
            {
                // The line may be a bare URL: never echo it.
                errors.Add($"{where}: expected FORMAT=URL");
                continue;
            }
            var format = line[..separator];
            if (!ArtifactFormats.IsKnown(format))
            {
                // Echo only a word: anything else may be part of a URL (a bare presigned URL has '=' in its query).
                var shown = FormatWord().IsMatch(format) ? $"unknown format '{format}'" : "expected FORMAT=URL";
                errors.Add($"{where}: {shown} (formats: {string.Join(", ", ArtifactFormats.Names)})");
                continue;
            }
            if (!UploadTarget.TryCreateUrl(line[(separator + 1)..], out var url))
            {
                errors.Add($"{where}: the URL for {format} must be an absolute http or https URL");
                continue;
            }
            if (uploads.Any(u => u.Format == format))
            {
                errors.Add($"{where}: {format} is listed twice");
                continue;
            }
            uploads.Add(new UploadTarget(format, url));
        }
        if (uploads.Count == 0 && errors.Count == 0)
        {
            errors.Add($"--upload-env {variable}: no FORMAT=URL line");
        }
        return uploads;
    }

    [GeneratedRegex("^[a-z]{1,16}$")]
    private static partial Regex FormatWord();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,127}$")]
    private static partial Regex VariableName();
}
