namespace Pyrometer.Rendering.Model;

/// <summary>
/// Pids and thread ids differ between two runs of the same service, so profiles compared across runs match
/// processes by command line and threads by name: every <c>pid N cmd</c> becomes <c>pid * cmd</c> (workers with
/// the same command line add up) and every <c>thread N name</c> becomes <c>thread * name</c>.
/// </summary>
internal static class IdFolding
{
    public static Profile WithoutIds(Profile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var builder = new ProfileBuilder();
        var map = new int[profile.Frames.Count];
        for (var id = 0; id < map.Length; id++)
        {
            var frame = profile.GetFrame(id);
            map[id] = builder.Intern(frame.Kind switch
            {
                FrameKind.Process => Frame.AnyProcess(frame.Name),
                FrameKind.Thread => Frame.AnyThread(frame.Name),
                _ => frame,
            });
        }
        var stack = new List<int>();
        for (var i = 0; i < profile.StackCount; i++)
        {
            stack.Clear();
            foreach (var frame in profile.GetStack(i))
            {
                stack.Add(map[frame]);
            }
            builder.AddSample(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(stack), profile.GetCount(i));
        }
        return builder.Build(profile.Metadata);
    }
}
