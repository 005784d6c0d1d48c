using System.Globalization;
using Pyrometer.Rendering.Folded;
using Pyrometer.Rendering.Model;

namespace Pyrometer.Rendering.Tests.Support;

/// <summary>
/// Replays Golden/&lt;case&gt;/input.timeline into a builder and a <see cref="TimelineRecorder"/>, as the agent's
/// sink feeds them: <c>tick END</c> ends a tick, <c>AT PID TID NAME | STACK</c> adds a stack read at AT
/// (microsecond stamps); the process's command line is <c>python app.py</c>.
/// </summary>
internal static class TimelineInput
{
    public static Profile Load(string caseName)
    {
        var builder = new ProfileBuilder();
        var recorder = new TimelineRecorder(1_000_000, 100);
        var tracks = new Dictionary<(int, long), int>();
        foreach (var raw in File.ReadLines(Path.Combine(TestPaths.Golden(caseName), "input.timeline")))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            if (line.StartsWith("tick ", StringComparison.Ordinal))
            {
                recorder.TickCompleted(long.Parse(line[5..], CultureInfo.InvariantCulture));
                continue;
            }
            var bar = line.IndexOf(" | ", StringComparison.Ordinal);
            var head = line[..bar].Split(' ', 4);
            var (at, pid, tid, name) = (long.Parse(head[0], CultureInfo.InvariantCulture), int.Parse(head[1], CultureInfo.InvariantCulture),
                long.Parse(head[2], CultureInfo.InvariantCulture), head[3]);
            if (!tracks.TryGetValue((pid, tid), out var track))
            {
                track = recorder.AddTrack(pid, "python app.py", tid, name);
                tracks.Add((pid, tid), track);
            }
            var ids = line[(bar + 3)..].Split(';').Select(text => builder.Intern(FrameTextParser.Parse(text, 1, parentIsProcess: false))).ToArray();
            recorder.Add(track, builder.AddSampleIndexed(ids), at);
        }
        return builder.Build(new ProfileMetadata { Target = "golden " + caseName, RateHz = 100 }, recorder);
    }
}
