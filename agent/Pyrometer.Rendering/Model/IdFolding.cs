namespace Pyrometer.Rendering.Model;

/// <summary>
/// Pids and thread ids differ between two runs of the same service, so profiles compared across runs match
/// processes by command line and threads by name: every <c>pid N cmd</c> becomes <c>pid * cmd</c> (workers with
/// the same command line add up) and every <c>thread N name</c> becomes <c>thread * name</c>.
/// </summary>
public static class IdFolding
{
    /// <summary><paramref name="profile"/> with process and thread ids left out of the pseudo-frames, so runs with other ids compare.</summary>
    public static Profile WithoutIds(Profile profile) => FrameMapping.Map(profile, frame => frame.Kind switch
    {
        FrameKind.Process => Frame.AnyProcess(frame.Name),
        FrameKind.Thread => Frame.AnyThread(frame.Name),
        _ => frame,
    });
}
