using System.Globalization;
using Pyrometer.Sampling.Sampling;

namespace Pyrometer.Agent.Session;

/// <summary>Redraws one status line on stderr while recording: elapsed, samples, missed, errors.</summary>
internal sealed class ProgressLine : IDisposable
{
    private readonly Func<SamplerStats> _stats;
    private readonly TimeSpan? _duration;
    private readonly Timer _timer;
    private int _lastLength;

    public ProgressLine(Func<SamplerStats> stats, TimeSpan? duration, TimeSpan interval)
    {
        _stats = stats;
        _duration = duration;
        _timer = new Timer(_ => Draw(), null, interval, interval);
    }

    internal static string Format(SamplerStats stats, TimeSpan? duration)
    {
        var elapsed = stats.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        var of = duration is { } d ? "/" + d.TotalSeconds.ToString("0", CultureInfo.InvariantCulture) : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"pyrometer: {elapsed}{of} s  {stats.Samples:N0} samples  {stats.MissedTicks:N0} missed  {stats.ErrorSamples:N0} errors");
    }

    private void Draw()
    {
        var text = Format(_stats(), _duration);
        var pad = Math.Max(0, _lastLength - text.Length);
        _lastLength = text.Length;
        Console.Error.Write("\r" + text + new string(' ', pad));
    }

    public void Dispose()
    {
        _timer.Dispose();
        if (_lastLength > 0)
        {
            Console.Error.Write("\r" + new string(' ', _lastLength) + "\r");
        }
    }
}
