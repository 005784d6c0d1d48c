using System.Text.Json.Serialization;

namespace Pyrometer.Agent.Commands;

/// <summary>One process in <c>pyrometer dump --json</c>; with <c>--async</c> its asyncio tasks, or why they could not be read.</summary>
internal sealed record DumpProcess(int Pid, string Cmd, string Python, IReadOnlyList<DumpThread> Threads, IReadOnlyList<DumpTask>? Tasks = null, string? TasksProblem = null);

/// <summary>One thread: ids, whether it was running and held the GIL, frames innermost first, its name when known.</summary>
internal sealed record DumpThread(ulong ThreadId, int NativeThreadId, bool Active, bool HoldsGil, IReadOnlyList<DumpFrame> Frames, string? Name = null);

/// <summary>One frame; with <c>--locals</c> its local variables (an empty list when they could not be read: see <see cref="LocalsUnavailable"/>).</summary>
internal sealed record DumpFrame(string Function, string Qualname, string File, int Line, IReadOnlyList<DumpLocal>? Locals = null, bool? LocalsUnavailable = null);

/// <summary>
/// One asyncio task (<c>dump --async</c>): <see cref="Id"/> is the task object's address, <see cref="State"/> is
/// <c>running</c> or <c>awaiting</c>, <see cref="ThreadId"/> the thread whose loop holds it (0 when unknown),
/// <see cref="Awaiting"/> the type of what its innermost coroutine awaits, <see cref="ParentId"/> the task
/// awaiting it (0 for none), and <see cref="Frames"/> its coroutines, innermost first.
/// </summary>
internal sealed record DumpTask(ulong Id, string Name, string State, ulong ThreadId, int NativeThreadId, string? Awaiting, ulong ParentId, IReadOnlyList<DumpFrame> Frames);

/// <summary>One local variable and its value as Python's repr would show a simple value.</summary>
internal sealed record DumpLocal(string Name, string Value);

/// <summary>What <c>dump --json</c> prints; also the reply to a target that could not be read.</summary>
internal sealed record DumpOutput(IReadOnlyList<DumpProcess> Processes, IReadOnlyList<string> Errors);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DumpOutput))]
internal sealed partial class DumpJsonContext : JsonSerializerContext;
