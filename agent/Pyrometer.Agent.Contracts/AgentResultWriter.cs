using System.Text.Json;

namespace Pyrometer.Agent.Contracts;

/// <summary>Serialises an <see cref="AgentResult"/> to fit a termination message.</summary>
public static class AgentResultWriter
{
    /// <summary>The kubelet keeps at most this many bytes of a termination message.</summary>
    public const int MaxBytes = 4096;

    /// <summary>
    /// Serialises <paramref name="result"/>, dropping <c>top</c> entries, then the blocked loop's stack
    /// frames (from the inner end, keeping one) and then <c>processes</c> entries (from the least
    /// important end) until it fits in <see cref="MaxBytes"/>; as a last resort the error message is shortened.
    /// </summary>
    public static byte[] ToUtf8(AgentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var current = result;
        var bytes = Serialize(current);
        while (bytes.Length > MaxBytes && current.Top.Count > 0)
        {
            current = current with { Top = current.Top.Take(current.Top.Count - 1).ToArray() };
            bytes = Serialize(current);
        }
        while (bytes.Length > MaxBytes && current.EventLoopBlocked is { WorstStack.Count: > 1 } blocked)
        {
            current = current with { EventLoopBlocked = blocked with { WorstStack = blocked.WorstStack.Take(blocked.WorstStack.Count - 1).ToArray() } };
            bytes = Serialize(current);
        }
        while (bytes.Length > MaxBytes && current.Processes.Count > 0)
        {
            current = current with { Processes = current.Processes.Take(current.Processes.Count - 1).ToArray() };
            bytes = Serialize(current);
        }
        if (bytes.Length > MaxBytes && current.Error is { } error)
        {
            var overshoot = bytes.Length - MaxBytes + 3;
            var keep = Math.Max(0, error.Message.Length - overshoot);
            current = current with { Error = error with { Message = error.Message[..keep] + "..." } };
            bytes = Serialize(current);
        }
        return bytes;
    }

    /// <summary>Parses a result; returns null when the text is not a v1 result.</summary>
    public static AgentResult? Parse(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var result = JsonSerializer.Deserialize(utf8, ContractsJsonContext.Default.AgentResult);
            return result?.Schema == AgentResult.SchemaV1 ? result : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static byte[] Serialize(AgentResult result) =>
        JsonSerializer.SerializeToUtf8Bytes(result, ContractsWriteJsonContext.Default.AgentResult);
}
