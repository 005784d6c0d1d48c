using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Pyrometer.EndToEnd.Tests.Support;

/// <summary>A folded profile read independently of the product: "frame;frame;… count" per line.</summary>
internal sealed partial class FoldedProfile
{
    private readonly List<(string[] Frames, long Count)> _stacks = [];

    public FoldedProfile(byte[] content)
    {
        foreach (var line in Encoding.UTF8.GetString(content).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var space = line.LastIndexOf(' ');
            _stacks.Add((line[..space].Split(';'), long.Parse(line[(space + 1)..], CultureInfo.InvariantCulture)));
        }
    }

    public long Samples => _stacks.Sum(s => s.Count);

    /// <summary>Every line: its frames, root first, and its sample count.</summary>
    public IReadOnlyList<(string[] Frames, long Count)> Stacks => _stacks;

    /// <summary>The pids of the root "pid N …" frames, with their sample counts.</summary>
    public IReadOnlyDictionary<int, long> SamplesByPid => _stacks
        .Select(s => (Match: RootPid().Match(s.Frames[0]), s.Count))
        .Where(s => s.Match.Success)
        .GroupBy(s => int.Parse(s.Match.Groups[1].Value, CultureInfo.InvariantCulture))
        .ToDictionary(g => g.Key, g => g.Sum(s => s.Count));

    /// <summary>The function (name without its "(file:line)") most often on top of the stack.</summary>
    public string TopSelfFunction => _stacks
        .GroupBy(s => FunctionName(s.Frames[^1]))
        .OrderByDescending(g => g.Sum(s => s.Count))
        .First().Key;

    private static string FunctionName(string frame)
    {
        var open = frame.IndexOf(" (", StringComparison.Ordinal);
        return open > 0 ? frame[..open] : frame;
    }

    [GeneratedRegex(@"^pid (\d+)\b")]
    private static partial Regex RootPid();
}
