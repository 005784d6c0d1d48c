using System.Text.Encodings.Web;
using System.Text.Json;
using Pyrometer.Rendering.Model;

namespace Pyrometer.Rendering.Speedscope;

/// <summary>
/// speedscope's file format: one "sampled" profile per process (or per thread), all sharing one frames
/// table, weights in samples. Written with <see cref="Utf8JsonWriter"/>: no reflection, AOT-safe.
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

        // Python frames keep their canonical order; pseudo-frames name profiles instead of appearing in stacks.
        var index = new int[profile.Frames.Count];
        var shared = new List<Frame>();
        for (var id = 0; id < index.Length; id++)
        {
            var frame = profile.GetFrame(id);
            index[id] = frame.IsPseudo ? -1 : shared.Count;
            if (!frame.IsPseudo)
            {
                shared.Add(frame);
            }
        }
        var groups = Group(profile, options.PerThread);

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
        foreach (var frame in shared)
        {
            json.WriteStartObject();
            json.WriteString("name", frame.Name);
            if (frame.File.Length > 0)
            {
                json.WriteString("file", frame.File);
            }
            if (frame.Line > 0)
            {
                json.WriteNumber("line", frame.Line);
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();

        json.WriteStartArray("profiles");
        foreach (var (name, stacks) in groups)
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
                foreach (var frame in profile.GetStack(stack))
                {
                    if (index[frame] >= 0)
                    {
                        json.WriteNumberValue(index[frame]);
                    }
                }
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
        json.WriteEndArray();
        json.WriteEndObject();
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
