using System.Text.Json;

namespace Pyrometer.Sampling.Tests.Live;

/// <summary>The answer to the <c>dump</c> command of Scripts/self_dump.py: the oracle for <c>pyrometer dump</c>.</summary>
public sealed record PythonDump(IReadOnlyList<DumpedThread> Threads)
{
    /// <summary>The thread with Linux TID <paramref name="nativeId"/>; fails with the TIDs present when absent.</summary>
    public DumpedThread Thread(long nativeId) =>
        Threads.FirstOrDefault(t => t.NativeId == nativeId)
        ?? throw new InvalidOperationException($"The dump has no thread {nativeId}; it has {string.Join(", ", Threads.Select(t => t.NativeId))}.");

    /// <summary>The thread named <paramref name="name"/> (threading.Thread.name).</summary>
    public DumpedThread Named(string name) =>
        Threads.FirstOrDefault(t => t.Name == name)
        ?? throw new InvalidOperationException($"The dump has no thread named '{name}'; it has {string.Join(", ", Threads.Select(t => t.Name))}.");

    /// <summary>Reads the JSON reply; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static PythonDump Parse(JsonElement reply)
    {
        if (reply.ValueKind != JsonValueKind.Object || !reply.TryGetProperty("threads", out var threads) || threads.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"A dump reply is an object with a 'threads' array; got {reply.GetRawText()}.");
        }
        var result = new List<DumpedThread>();
        foreach (var thread in threads.EnumerateArray())
        {
            var frames = new List<DumpedFrame>();
            foreach (var frame in Property(thread, "frames").EnumerateArray())
            {
                frames.Add(new DumpedFrame(
                    Property(frame, "function").GetString() ?? "",
                    Property(frame, "qualname").ValueKind == JsonValueKind.Null ? null : Property(frame, "qualname").GetString(),
                    Property(frame, "file").GetString() ?? "",
                    // f_lineno can be None for a frame that is just starting; report it as 0.
                    Property(frame, "line").ValueKind == JsonValueKind.Number ? Property(frame, "line").GetInt32() : 0));
            }
            var nativeId = Property(thread, "native_id");
            var name = Property(thread, "name");
            result.Add(new DumpedThread(
                nativeId.ValueKind == JsonValueKind.Number ? nativeId.GetInt64() : 0,
                name.ValueKind == JsonValueKind.String ? name.GetString() : null,
                frames));
        }
        return new PythonDump(result);
    }

    private static JsonElement Property(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value)
            ? value
            : throw new FormatException($"A dump entry lacks '{name}': {element.GetRawText()}.");
}
