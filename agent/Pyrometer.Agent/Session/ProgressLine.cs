using System.Globalization;
using Pyrometer.Sampling.Sampling;

namespace Pyrometer.Agent.Session;

/// <summary>
/// One status line on stderr while recording: redrawn in place on a terminal, and on anything else
/// (a log file, a container's log) written as a line of its own now and then, never a line per redraw.
/// </summary>
internal sealed class ProgressLine : IDisposable
{
    /// <summary>How often a line is written when stderr is not a terminal.</summary>
    internal static readonly TimeSpan Occasionally = TimeSpan.FromSeconds(10);

    private readonly Func<SamplerStats> _stats;
    private readonly TimeSpan? _duration;
    private readonly TextWriter _output;
    private readonly bool _inPlace;
    private readonly Timer _timer;
    private int _lastLength;

    public ProgressLine(Func<SamplerStats> stats, TimeSpan? duration, TimeSpan interval)
        : this(stats, duration, interval, Console.Error, inPlace: !Console.IsErrorRedirected)
    {
    }

    internal ProgressLine(Func<SamplerStats> stats, TimeSpan? duration, TimeSpan interval, TextWriter output, bool inPlace)
    {
        _stats = stats;
        _duration = duration;
        _output = output;
        _inPlace = inPlace;
        var every = inPlace ? interval : Occasionally;
        _timer = new Timer(_ => Draw(), null, every, every);
    }

    internal static string Format(SamplerStats stats, TimeSpan? duration)
    {
        var inv = CultureInfo.InvariantCulture;
        var elapsed = stats.Elapsed.TotalSeconds.ToString("0.0", inv);
        var of = duration is { } d ? " of " + d.TotalSeconds.ToString("0", inv) : "";
        var text = string.Create(inv, $"pyrometer: sampling, {elapsed}{of} s: {stats.Samples:N0} samples");
        // Only counts that are not zero, each saying what it is.
        if (stats.ErrorSamples > 0)
        {
            text += string.Create(inv, $", {stats.ErrorSamples:N0} dropped (changed while read)");
        }
        if (stats.MissedTicks > 0)
        {
            text += string.Create(inv, $", {stats.MissedTicks:N0} ticks missed (fell behind)");
        }
        return text;
    }

    private void Draw()
    {
        var text = Format(_stats(), _duration);
        if (!_inPlace)
        {
            _output.WriteLine(text);
            return;
        }
        var pad = Math.Max(0, _lastLength - text.Length);
        _lastLength = text.Length;
        _output.Write("\r" + text + new string(' ', pad));
    }

    public void Dispose()
    {
        _timer.Dispose();
        if (_lastLength > 0)
        {
            _output.Write("\r" + new string(' ', _lastLength) + "\r");
        }
    }
}
