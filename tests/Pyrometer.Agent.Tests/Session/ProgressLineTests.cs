using Pyrometer.Agent.Session;
using Pyrometer.Sampling.Sampling;

namespace Pyrometer.Agent.Tests.Session;

public sealed class ProgressLineTests
{
    [Fact]
    public void Format_NamesEachCount_AndLeavesOutZeros()
    {
        var stats = new SamplerStats { Elapsed = TimeSpan.FromSeconds(12.34), Samples = 1520, ErrorSamples = 12 };

        Assert.Equal("pyrometer: sampling, 12.3 of 30 s: 1,520 samples, 12 dropped (changed while read)", ProgressLine.Format(stats, TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void NotATerminal_WritesWholeLinesOccasionally_NeverCarriageReturns()
    {
        using var output = new StringWriter();

        // The line is written every 10 s off a terminal, whatever the redraw interval asked: none within this test.
        using (new ProgressLine(() => new SamplerStats(), null, TimeSpan.FromMilliseconds(1), output, inPlace: false))
        {
            Thread.Sleep(200);
        }

        Assert.Equal("", output.ToString());
        Assert.Equal(TimeSpan.FromSeconds(10), ProgressLine.Occasionally);
    }
}
