using System.Text.Json.Serialization;

namespace Pyrometer.Agent.Commands;

/// <summary>One process in <c>pyrometer dump --json</c>.</summary>
internal sealed record DumpProcess(int Pid, string Cmd, string Python, IReadOnlyList<DumpThread> Threads);

/// <summary>One thread: ids, whether it was running and held the GIL, frames innermost first.</summary>
internal sealed record DumpThread(ulong ThreadId, int NativeThreadId, bool Active, bool HoldsGil, IReadOnlyList<DumpFrame> Frames);

/// <summary>One frame.</summary>
internal sealed record DumpFrame(string Function, string Qualname, string File, int Line);

/// <summary>What <c>dump --json</c> prints; also the reply to a target that could not be read.</summary>
internal sealed record DumpOutput(IReadOnlyList<DumpProcess> Processes, IReadOnlyList<string> Errors);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(DumpOutput))]
internal sealed partial class DumpJsonContext : JsonSerializerContext;
