using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Pyrometer.Agent.Cli;

/// <summary>
/// How <c>record</c>, <c>top</c> and <c>dump</c> name their target: <c>--pid N|auto</c>, <c>--match REGEX</c> and
/// <c>-s</c>, defined and validated once so the three commands cannot drift apart.
/// </summary>
internal sealed class TargetOptions(bool launches)
{
    public Option<string?> Pid { get; } = new("--pid", "-p")
    {
        Description = "PID of the Python process, or 'auto': the busiest Python process visible here",
        HelpName = "PID|auto",
    };

    public Option<string?> Match { get; } = new("--match")
    {
        Description = "The busiest process whose command line matches this regular expression",
        HelpName = "REGEX",
    };

    public Option<bool> Subprocesses { get; } = new("--subprocesses", "-s")
    {
        Description = "Also the descendants (gunicorn/uvicorn workers, multiprocessing), as they come and go",
    };

    public IEnumerable<Option> All => [Pid, Match, Subprocesses];

    /// <summary>The target, or null with the problem added to <paramref name="errors"/>.</summary>
    public TargetSelector? Bind(ParseResult result, IReadOnlyList<string> command, List<string> errors) =>
        Bind(result.GetValue(Pid), result.GetValue(Match), command, errors, launches);

    internal static TargetSelector? Bind(string? pid, string? match, IReadOnlyList<string> command, List<string> errors, bool launches = true)
    {
        if (pid is not null && command.Count > 0)
        {
            errors.Add("give either --pid or a command after --, not both");
            return null;
        }
        if (match is not null)
        {
            if (MatchError(match) is { } problem)
            {
                errors.Add($"--match is not a valid regular expression: {problem}");
                return null;
            }
            if (pid is not null && pid != "auto")
            {
                errors.Add("--match picks the process itself: use it with --pid auto or alone");
                return null;
            }
            return new TargetSelector(null, match, []);
        }
        if (command.Count > 0)
        {
            return new TargetSelector(null, null, command);
        }
        if (pid is null)
        {
            errors.Add("name a target: --pid N, --pid auto, --match REGEX" + (launches ? ", or a command after --" : ""));
            return null;
        }
        if (pid == "auto")
        {
            return new TargetSelector(null, null, []);
        }
        if (!int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number <= 0)
        {
            errors.Add($"--pid must be a positive process id or 'auto', got '{pid}'");
            return null;
        }
        return new TargetSelector(number, null, []);
    }

    // The parser's own message is a resource key in the NativeAOT binary: word the error kind instead.
    private static string? MatchError(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
            return null;
        }
        catch (RegexParseException e)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{EnumWords.Of(e.Error)} at offset {e.Offset}");
        }
        catch (ArgumentException)
        {
            return "not a pattern";
        }
    }
}
