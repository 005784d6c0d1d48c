using Pyrometer.Agent.Commands;
using Pyrometer.Rendering.Model;
using Pyrometer.Sampling.Sampling;

namespace Pyrometer.Agent.Tests.Commands;

public sealed class TopCommandTests
{
    [Fact]
    public void Render_Profile_ListsFunctionsByOwnShareWithTotals()
    {
        var builder = new ProfileBuilder();
        var main = builder.InternPython("main", "app.py", 30);
        var work = builder.InternPython("work", "app.py", 12);
        var parse = builder.InternPython("parse", "lib.py", 7);
        builder.AddSample([main, work], 6);
        builder.AddSample([main, work, parse], 3);
        builder.AddSample([main], 1);

        var screen = TopCommand.Render(builder.Build(ProfileMetadata.None), new SamplerStats { Samples = 10 }, processes: 1, TimeSpan.FromSeconds(1));

        var rows = screen.Split('\n').Where(l => l.Contains('(', StringComparison.Ordinal) && l.Contains(".py", StringComparison.Ordinal)).ToList();
        Assert.StartsWith("  60.0    90.0  work (app.py:12)", rows[0], StringComparison.Ordinal);
        Assert.StartsWith("  30.0    30.0  parse (lib.py:7)", rows[1], StringComparison.Ordinal);
        Assert.StartsWith("  10.0   100.0  main (app.py:30)", rows[2], StringComparison.Ordinal);
        Assert.Contains("10 samples in the last 1 s", screen, StringComparison.Ordinal);
    }
}
