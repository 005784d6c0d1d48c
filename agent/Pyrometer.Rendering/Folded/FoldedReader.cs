using System.Text;
using Pyrometer.Rendering.Formats;
using Pyrometer.Rendering.Model;

namespace Pyrometer.Rendering.Folded;

/// <summary>Reads collapsed stacks (<c>a;b;c 42</c> per line, parsed by <see cref="FoldedLineReader"/>) into a profile; repeated stacks add up.</summary>
internal static class FoldedReader
{
    /// <summary>Frames deeper than this are refused: no sampler produces them and they would only waste memory.</summary>
    public const int MaxDepth = 4096;

    public static Profile Read(Stream input, ProfileMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var reader = new StreamReader(input, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, 1 << 16, leaveOpen: true);
        return Read(reader, metadata);
    }

    public static Profile Read(TextReader reader, ProfileMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(metadata);
        var builder = new ProfileBuilder();
        var cache = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new List<int>();
        var lines = new FoldedLineReader(reader);
        var total = 0L;
        while (lines.TryRead(out var line))
        {
            total = FoldedLineReader.AddCount(total, line);
            stack.Clear();
            var frames = line.Stack.AsSpan();
            var parentIsProcess = false;
            foreach (var range in frames.Split(';'))
            {
                var element = frames[range];
                // Frame text depends on its position (a process only at the root), so the cache key does too.
                var key = stack.Count switch
                {
                    0 => "0" + element.ToString(),
                    1 => (parentIsProcess ? "P" : "1") + element.ToString(),
                    _ => "+" + element.ToString(),
                };
                if (!cache.TryGetValue(key, out var id))
                {
                    id = builder.Intern(FrameTextParser.Parse(element, stack.Count, parentIsProcess));
                    cache.Add(key, id);
                }
                parentIsProcess = stack.Count == 0 && builder.GetFrame(id).Kind == FrameKind.Process;
                stack.Add(id);
            }
            builder.AddSample(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(stack), line.Count);
        }
        return builder.Build(metadata);
    }
}
