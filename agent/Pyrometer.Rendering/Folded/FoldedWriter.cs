using System.Globalization;
using System.Text;
using Pyrometer.Rendering.Model;

namespace Pyrometer.Rendering.Folded;

/// <summary>
/// Brendan Gregg's collapsed stacks: one line per unique stack, frames root first joined by ';', a space,
/// the sample count. flamegraph.pl, inferno and speedscope read it; so does <see cref="FoldedReader"/>.
/// </summary>
internal static class FoldedWriter
{
    public static void Write(Profile profile, Stream output)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(output);
        using var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        Span<char> number = stackalloc char[20];
        for (var i = 0; i < profile.StackCount; i++)
        {
            var stack = profile.GetStack(i);
            for (var d = 0; d < stack.Length; d++)
            {
                if (d > 0)
                {
                    writer.Write(';');
                }
                writer.Write(profile.GetFrame(stack[d]).Text);
            }
            writer.Write(' ');
            profile.GetCount(i).TryFormat(number, out var written, default, CultureInfo.InvariantCulture);
            writer.Write(number[..written]);
            writer.Write('\n');
        }
    }
}
