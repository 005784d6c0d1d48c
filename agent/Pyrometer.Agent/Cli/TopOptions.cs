using System.CommandLine;
using System.Globalization;
using Pyrometer.Agent.Commands;

namespace Pyrometer.Agent.Cli;

/// <summary>The options of <c>pyrometer top</c> and their binding to <see cref="TopSettings"/>.</summary>
internal sealed class TopOptions
{
    public TargetOptions Target { get; } = new(launches: false);
    public Option<int> Rate { get; } = new("--rate", "-r") { Description = "Samples per second", DefaultValueFactory = _ => RecordSettings.DefaultRate };
    public Option<double> Interval { get; } = new("--interval") { Description = "Seconds between screen refreshes", DefaultValueFactory = _ => 1.0 };
    public Option<int?> Iterations { get; } = new("--iterations", "-n") { Description = "Stop after this many refreshes (default: until Ctrl-C or q)" };
    public Option<string> Mode { get; } = ModeOption.Create();
    public Option<bool> Async { get; } = ModeOption.CreateAsync();
    public Option<string> Sort { get; } = new("--sort")
    {
        Description = "Sort by own (%Own, the default), total (%Total), own-time, total-time or name; keys 1-5 change it while top runs",
        DefaultValueFactory = _ => "own",
        HelpName = "own|total|own-time|total-time|name",
    };

    public IEnumerable<Option> All => [.. Target.All, Rate, Interval, Iterations, Mode, Async, Sort];

    /// <summary>Validates and binds; returns null with the problems listed when the command line is wrong.</summary>
    public TopSettings? Bind(ParseResult result, List<string> errors)
    {
        var target = Target.Bind(result, [], errors);
        var rate = result.GetValue(Rate);
        var interval = result.GetValue(Interval);
        if (rate is < 1 or > RecordSettings.MaxRate || interval is < 0.1 or > 3600 || double.IsNaN(interval))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"--rate must be 1..{RecordSettings.MaxRate} and --interval 0.1..3600 seconds"));
        }
        var mode = ModeOption.Parse(result.GetValue(Mode), result.GetValue(Async), result.GetResult(Mode) is { Implicit: false }, errors);
        var sort = ParseSort(result.GetValue(Sort), errors);
        if (errors.Count > 0 || target is null)
        {
            return null;
        }
        return new TopSettings(target, result.GetValue(Target.Subprocesses), rate, TimeSpan.FromSeconds(interval), result.GetValue(Iterations), mode, sort);
    }

    internal static TopSort ParseSort(string? text, List<string> errors)
    {
        switch (text ?? "own")
        {
            case "own":
                return TopSort.Own;
            case "total":
                return TopSort.Total;
            case "own-time":
                return TopSort.OwnTime;
            case "total-time":
                return TopSort.TotalTime;
            case "name":
                return TopSort.Function;
            default:
                errors.Add($"--sort must be own, total, own-time, total-time or name, got '{text}'");
                return TopSort.Own;
        }
    }
}
