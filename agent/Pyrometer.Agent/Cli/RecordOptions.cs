using System.CommandLine;
using System.Globalization;
using Pyrometer.Agent.Upload;
using Pyrometer.Sampling.Sampling;

namespace Pyrometer.Agent.Cli;

/// <summary>The options of <c>pyrometer record</c> and their binding to <see cref="RecordSettings"/>.</summary>
internal sealed class RecordOptions
{
    public TargetOptions Target { get; } = new(launches: true);
    public Option<int> Rate { get; } = new("--rate", "-r") { Description = "Samples per second", DefaultValueFactory = _ => RecordSettings.DefaultRate };
    public Option<double?> Duration { get; } = new("--duration", "-d") { Description = "Seconds to sample (default: until Ctrl-C, SIGTERM or the target exits)" };
    public Option<string> Mode { get; } = ModeOption.Create();
    public Option<bool> Async { get; } = ModeOption.CreateAsync();
    public Option<bool> Blocking { get; } = new("--blocking") { Description = "Pause the target's threads while each sample is read (consistent stacks, more overhead)" };
    public Option<bool> Threads { get; } = new("--threads", "-t") { Description = "Show thread ids and names in the stacks" };
    public Option<string> Format { get; } = new("--format", "-f") { Description = "Comma-separated: flamegraph, speedscope, folded, pprof", DefaultValueFactory = _ => "flamegraph" };
    public Option<string?> Output { get; } = new("--output", "-o") { Description = "Output file (one format)" };
    public Option<string?> OutputDirectory { get; } = new("--output-dir") { Description = "Directory for the outputs (one file per format)" };
    public Option<string?> ResultFile { get; } = new("--result-file") { Description = "Write the result JSON here (e.g. /dev/termination-log)" };
    public Option<string[]> Upload { get; } = new("--upload")
    {
        Description = "FORMAT=URL: PUT that artifact to a presigned URL (repeatable). Other processes can read a command line: prefer --upload-env",
        AllowMultipleArgumentsPerToken = false,
    };
    public Option<string?> UploadEnv { get; } = new("--upload-env")
    {
        Description = "Read FORMAT=URL lines (one per artifact) from this environment variable, e.g. " + UploadEnvironment.DefaultVariable + ", keeping the URLs out of the command line",
    };
    public Option<int> BlockedThreshold { get; } = new("--blocked-threshold")
    {
        Description = "Report an asyncio event loop blocked by one callback for at least this many milliseconds (0: do not look)",
        DefaultValueFactory = _ => RecordSettings.DefaultBlockedThresholdMs,
    };
    public ViewOptions View { get; } = new();
    public Option<bool> NoProgress { get; } = new("--no-progress") { Description = "Never draw the progress line" };
    public Argument<string[]> Command { get; } = new("command") { Description = "A program to launch and profile, after --", Arity = ArgumentArity.ZeroOrMore };

    public IEnumerable<Symbol> All =>
        [.. Target.All, Rate, Duration, Mode, Async, Blocking, Threads, Format, Output, OutputDirectory, ResultFile, Upload, UploadEnv, BlockedThreshold, .. View.All, NoProgress, Command];

    /// <summary>Validates and binds; returns null with the problems listed when the command line is wrong.</summary>
    /// <param name="result">The parsed command line.</param>
    /// <param name="errors">Receives one sentence per problem.</param>
    /// <param name="environment">Reads an environment variable (for <c>--upload-env</c>); default: the process's.</param>
    public RecordSettings? Bind(ParseResult result, List<string> errors, Func<string, string?>? environment = null)
    {
        var command = result.GetValue(Command) ?? [];
        if (command.Length > 0 && command[0].StartsWith('-'))
        {
            // Tokens nobody claimed land in the command argument; a program is never named "-x".
            errors.Add($"unknown option '{command[0]}' (a program to launch goes after --)");
            return null;
        }
        var target = Target.Bind(result, command, errors);

        var rate = result.GetValue(Rate);
        if (rate is < 1 or > RecordSettings.MaxRate)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"--rate must be between 1 and {RecordSettings.MaxRate} samples per second, got {rate}"));
        }
        var seconds = result.GetValue(Duration);
        if (seconds is { } s && (s <= 0 || double.IsNaN(s) || s > TimeSpan.FromDays(7).TotalSeconds))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"--duration must be a positive number of seconds (at most 7 days), got {s}"));
        }
        var blockedThreshold = result.GetValue(BlockedThreshold);
        if (blockedThreshold is < 0 or > RecordSettings.MaxBlockedThresholdMs)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"--blocked-threshold must be between 0 (off) and {RecordSettings.MaxBlockedThresholdMs} milliseconds, got {blockedThreshold}"));
        }
        var mode = ModeOption.Parse(result.GetValue(Mode), result.GetValue(Async), result.GetResult(Mode) is { Implicit: false }, errors);
        var formats = ParseFormats(result.GetValue(Format) ?? "flamegraph", errors);
        var uploads = ParseUploads(result.GetValue(Upload) ?? [], formats, errors);
        if (result.GetValue(UploadEnv) is { } variable)
        {
            var fromEnvironment = UploadEnvironment.Parse(variable, (environment ?? Environment.GetEnvironmentVariable)(variable), errors);
            foreach (var upload in fromEnvironment)
            {
                if (uploads.Any(u => u.Format == upload.Format))
                {
                    errors.Add($"--upload-env {variable}: {upload.Format} also has an --upload");
                }
                else if (!formats.Contains(upload.Format))
                {
                    errors.Add($"--upload-env {variable}: {upload.Format} is not in --format ({string.Join(",", formats)})");
                }
                else
                {
                    uploads.Add(upload);
                }
            }
        }
        var view = View.Bind(result, errors);
        var output = result.GetValue(Output);
        if (output is not null && formats.Count > 1)
        {
            errors.Add("-o/--output names one file, but several formats were asked for: use --output-dir");
        }

        if (errors.Count > 0 || target is null || view is null)
        {
            return null;
        }
        return new RecordSettings
        {
            Target = target,
            Subprocesses = result.GetValue(Target.Subprocesses),
            Rate = rate,
            Duration = seconds is { } d ? TimeSpan.FromSeconds(d) : null,
            Mode = mode,
            Blocking = result.GetValue(Blocking),
            Threads = result.GetValue(Threads),
            Formats = formats,
            Output = output,
            OutputDirectory = result.GetValue(OutputDirectory),
            ResultFile = result.GetValue(ResultFile),
            Uploads = uploads,
            UploadVariable = result.GetValue(UploadEnv),
            BlockedThreshold = blockedThreshold == 0 ? null : TimeSpan.FromMilliseconds(blockedThreshold),
            View = view,
            Progress = !result.GetValue(NoProgress),
        };
    }

    internal static IReadOnlyList<string> ParseFormats(string text, List<string> errors)
    {
        var formats = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
        foreach (var format in formats.Where(f => !ArtifactFormats.IsKnown(f)))
        {
            errors.Add($"unknown format '{format}': use {string.Join(", ", ArtifactFormats.Names)}");
        }
        if (formats.Count == 0)
        {
            errors.Add("--format needs at least one format");
        }
        return formats;
    }

    private static List<UploadTarget> ParseUploads(string[] values, IReadOnlyList<string> formats, List<string> errors)
    {
        var uploads = new List<UploadTarget>();
        foreach (var value in values)
        {
            if (!UploadTarget.TryParse(value, out var target, out var error))
            {
                errors.Add(error);
                continue;
            }
            if (!formats.Contains(target!.Format))
            {
                errors.Add($"--upload {target.Format}=…: that format is not in --format ({string.Join(",", formats)})");
                continue;
            }
            uploads.Add(target);
        }
        return uploads;
    }
}
