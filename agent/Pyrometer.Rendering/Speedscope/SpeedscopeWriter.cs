using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Pyrometer.Rendering.Model;

namespace Pyrometer.Rendering.Speedscope;

/// <summary>
/// speedscope's file format: "sampled" profiles sharing one frames table. With a <see cref="Timeline"/> (a live
/// recording), one profile per thread with its samples in the order they were taken and weights in
/// microseconds, so Time Order is a real timeline (time the thread was not sampled is an empty stack);
/// without one, one profile per process (or thread) with a sample per unique stack, weights in samples.
/// Written with <see cref="Utf8JsonWriter"/>: no reflection, AOT-safe.
/// </summary>
internal static class SpeedscopeWriter
{
    public const string SchemaUrl = "https://www.speedscope.app/file-format-schema.json";

    public static void Write(Profile profile, Stream output, SpeedscopeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(output);
        options ??= SpeedscopeOptions.Default;
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Version, nameof(options));

        var (index, shared) = SharedFrames(profile, options.ByLine);
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions
        {
            Indented = options.Indented,
            // The file is opened by speedscope, never embedded in HTML, so names like <module> stay readable.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
        json.WriteStartObject();
        json.WriteString("$schema", SchemaUrl);
        json.WriteString("exporter", "pyrometer@" + options.Version);
        json.WriteString("name", profile.Metadata.Target.Length > 0 ? profile.Metadata.Target : "pyrometer");
        json.WriteNumber("activeProfileIndex", 0);
        json.WriteStartObject("shared");
        json.WriteStartArray("frames");
        foreach (var (name, file, line) in shared)
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            if (file.Length > 0)
            {
                json.WriteString("file", file);
            }
            if (line > 0)
            {
                json.WriteNumber("line", line);
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();

        json.WriteStartArray("profiles");
        if (profile.Timeline is { Tracks.Count: > 0 } timeline)
        {
            foreach (var track in timeline.Tracks)
            {
                WriteTrack(json, profile, index, timeline, track);
            }
        }
        else
        {
            foreach (var (name, stacks) in Group(profile, options.PerThread))
            {
                WriteGroup(json, profile, index, name, stacks);
            }
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>
    /// Frame id → shared index (-1 for pseudo-frames, which name profiles instead of appearing in stacks), and
    /// the shared frames in the profile's frame order: per function and file, at the line the function
    /// starts when known, or per line with <paramref name="byLine"/>.
    /// </summary>
    private static (int[] Index, List<(string Name, string File, int Line)> Shared) SharedFrames(Profile profile, bool byLine)
    {
        var index = new int[profile.Frames.Count];
        var shared = new List<(string Name, string File, int Line)>();
        var byFunction = new Dictionary<(string, string), int>();
        for (var id = 0; id < index.Length; id++)
        {
            var frame = profile.GetFrame(id);
            if (frame.IsPseudo)
            {
                index[id] = -1;
            }
            else if (byLine)
            {
                index[id] = shared.Count;
                shared.Add((frame.Name, frame.File, frame.Line));
            }
            else if (byFunction.TryGetValue((frame.Name, frame.File), out var known))
            {
                index[id] = known;
                if (shared[known].Line == 0 && frame.FunctionLine > 0)
                {
                    shared[known] = (frame.Name, frame.File, frame.FunctionLine);
                }
            }
            else
            {
                index[id] = shared.Count;
                byFunction.Add((frame.Name, frame.File), shared.Count);
                shared.Add((frame.Name, frame.File, frame.FunctionLine));
            }
        }
        return (index, shared);
    }

    private static void WriteTrack(Utf8JsonWriter json, Profile profile, int[] index, Timeline timeline, TimelineTrack track)
    {
        // Lines of one function are one frame by default: neighbours that became equal are one sample.
        var stacks = new List<int[]>();
        var weights = new List<long>();
        long total = 0;
        for (var i = 0; i < track.Stacks.Count; i++)
        {
            var frames = track.Stacks[i] >= 0 ? SharedStack(profile, index, track.Stacks[i]) : [];
            total += track.Weights[i];
            if (i > 0 && i < track.OrderedCount && stacks[^1].AsSpan().SequenceEqual(frames))
            {
                weights[^1] += track.Weights[i];
                continue;
            }
            stacks.Add(frames);
            weights.Add(track.Weights[i]);
        }
        var name = track.Name;
        if (track.OrderedCount < track.Stacks.Count)
        {
            name += string.Create(CultureInfo.InvariantCulture,
                $" (in time order for the first {timeline.EndMicroseconds / 1e6:0.###} s; later samples at the end, in aggregate)");
        }
        json.WriteStartObject();
        json.WriteString("type", "sampled");
        json.WriteString("name", name);
        json.WriteString("unit", "microseconds");
        json.WriteNumber("startValue", 0);
        json.WriteNumber("endValue", Math.Max(total, timeline.EndMicroseconds));
        json.WriteStartArray("samples");
        foreach (var stack in stacks)
        {
            json.WriteStartArray();
            foreach (var frame in stack)
            {
                json.WriteNumberValue(frame);
            }
            json.WriteEndArray();
        }
        json.WriteEndArray();
        json.WriteStartArray("weights");
        foreach (var weight in weights)
        {
            json.WriteNumberValue(weight);
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static int[] SharedStack(Profile profile, int[] index, int stack)
    {
        var frames = new List<int>();
        foreach (var frame in profile.GetStack(stack))
        {
            if (index[frame] >= 0)
            {
                frames.Add(index[frame]);
            }
        }
        return [.. frames];
    }

    private static void WriteGroup(Utf8JsonWriter json, Profile profile, int[] index, string name, List<int> stacks)
    {
        long total = 0;
        foreach (var stack in stacks)
        {
            total += profile.GetCount(stack);
        }
        json.WriteStartObject();
        json.WriteString("type", "sampled");
        json.WriteString("name", name);
        json.WriteString("unit", "none");
        json.WriteNumber("startValue", 0);
        json.WriteNumber("endValue", total);
        json.WriteStartArray("samples");
        foreach (var stack in stacks)
        {
            json.WriteStartArray();
            WriteFrames(json, profile, index, stack);
            json.WriteEndArray();
        }
        json.WriteEndArray();
        json.WriteStartArray("weights");
        foreach (var stack in stacks)
        {
            json.WriteNumberValue(profile.GetCount(stack));
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteFrames(Utf8JsonWriter json, Profile profile, int[] index, int stack)
    {
        foreach (var frame in profile.GetStack(stack))
        {
            if (index[frame] >= 0)
            {
                json.WriteNumberValue(index[frame]);
            }
        }
    }

    /// <summary>Stack indices grouped by their process (and thread) pseudo-frames, groups in frame order.</summary>
    private static List<(string Name, List<int> Stacks)> Group(Profile profile, bool perThread)
    {
        var groups = new Dictionary<(int Process, int Thread), List<int>>();
        for (var i = 0; i < profile.StackCount; i++)
        {
            var stack = profile.GetStack(i);
            var process = -1;
            var thread = -1;
            for (var d = 0; d < Math.Min(2, stack.Length); d++)
            {
                var kind = profile.GetFrame(stack[d]).Kind;
                if (kind == FrameKind.Process)
                {
                    process = stack[d];
                }
                else if (kind == FrameKind.Thread)
                {
                    thread = stack[d];
                }
            }
            var key = (process, perThread ? thread : -1);
            if (!groups.TryGetValue(key, out var list))
            {
                list = [];
                groups.Add(key, list);
            }
            list.Add(i);
        }

        var result = new List<(string, List<int>)>();
        foreach (var key in groups.Keys.Order())
        {
            var parts = new List<string>();
            if (key.Process >= 0)
            {
                parts.Add(profile.GetFrame(key.Process).Text);
            }
            if (key.Thread >= 0)
            {
                parts.Add(profile.GetFrame(key.Thread).Text);
            }
            result.Add((parts.Count > 0 ? string.Join(" / ", parts) : "all samples", groups[key]));
        }
        if (result.Count == 0)
        {
            result.Add(("all samples", []));   // speedscope wants at least one profile to open
        }
        return result;
    }
}
