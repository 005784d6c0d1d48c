using System.Text.RegularExpressions;

namespace Pyrometer.Chart.Tests.Support;

/// <summary>A Dockerfile read as its stages and their instructions (continuation lines joined, comments dropped).</summary>
internal static class Dockerfile
{
    public static List<DockerStage> Stages(string dockerfile)
    {
        var text = File.ReadAllText(TestPaths.InRepository(dockerfile)).Replace("\\\n", " ", StringComparison.Ordinal);
        var stages = new List<DockerStage>();
        foreach (var line in text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var keyword = line[..space].ToUpperInvariant();
            var arguments = Regex.Replace(line[(space + 1)..].Trim(), @"\s+", " ");
            if (keyword == "FROM")
            {
                stages.Add(new DockerStage(arguments, []));
            }
            else if (stages.Count > 0)
            {
                stages[^1].Instructions.Add(new DockerInstruction(keyword, arguments));
            }
        }
        return stages;
    }
}

internal sealed record DockerInstruction(string Keyword, string Arguments);

internal sealed record DockerStage(string From, List<DockerInstruction> Instructions)
{
    public IEnumerable<string> All(string keyword) => Instructions.Where(i => i.Keyword == keyword).Select(i => i.Arguments);

    public string Single(string keyword) => Assert.Single(All(keyword));
}
