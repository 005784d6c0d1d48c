using System.Globalization;
using System.Text;
using Pyrometer.Rendering.Formats;
using Pyrometer.Rendering.Model;

namespace Pyrometer.Rendering.Folded;

/// <summary>Reads collapsed stacks (<c>a;b;c 42</c> per line) into a profile; repeated stacks add up.</summary>
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
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var text = line.AsSpan().TrimEnd();
            if (text.IsEmpty)
            {
                continue;
            }
            var space = text.LastIndexOf(' ');
            if (space <= 0)
            {
                throw new ProfileFormatException($"Folded line {lineNumber}: expected '<frame;frame;…> <count>', found '{Shorten(line)}'.");
            }
            var countText = text[(space + 1)..];
            if (!long.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count <= 0)
            {
                throw new ProfileFormatException($"Folded line {lineNumber}: the count '{countText}' is not a positive whole number.");
            }

            stack.Clear();
            var frames = text[..space];
            var parentIsProcess = false;
            foreach (var range in frames.Split(';'))
            {
                var element = frames[range];
                if (element.IsEmpty)
                {
                    throw new ProfileFormatException($"Folded line {lineNumber}: frame {stack.Count + 1} is empty.");
                }
                if (stack.Count == MaxDepth)
                {
                    throw new ProfileFormatException($"Folded line {lineNumber}: the stack is deeper than {MaxDepth} frames.");
                }
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
            builder.AddSample(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(stack), count);
        }
        return builder.Build(metadata);
    }

    private static string Shorten(string line) => line.Length <= 80 ? line : line[..77] + "...";
}
