using System.Runtime.InteropServices;

namespace Pyrometer.Rendering.Model;

/// <summary>
/// Rewrites every frame of a profile with one function, keeping each stack's shape and count. Frames that
/// map to the same frame merge, and so do stacks that become equal: their counts add up.
/// </summary>
internal static class FrameMapping
{
    public static Profile Map(Profile profile, Func<Frame, Frame> map)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(map);
        var builder = new ProfileBuilder();
        var ids = new int[profile.Frames.Count];
        for (var id = 0; id < ids.Length; id++)
        {
            ids[id] = builder.Intern(map(profile.GetFrame(id)));
        }
        var stack = new List<int>();
        for (var i = 0; i < profile.StackCount; i++)
        {
            stack.Clear();
            foreach (var frame in profile.GetStack(i))
            {
                stack.Add(ids[frame]);
            }
            builder.AddSample(CollectionsMarshal.AsSpan(stack), profile.GetCount(i));
        }
        return builder.Build(profile.Metadata);
    }
}
