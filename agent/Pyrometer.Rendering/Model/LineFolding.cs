namespace Pyrometer.Rendering.Model;

/// <summary>
/// Lines move when code is edited: one line added at the top of a file shifts every frame below it, so two
/// versions of the same code compared line by line look entirely different. Compared by function, every
/// <c>f (app.py:57)</c> becomes <c>f (app.py)</c>, and the lines of one function on the same path add up.
/// </summary>
public static class LineFolding
{
    /// <summary>The profile with every Python frame's line set to 0; the same instance when none has a line.</summary>
    public static Profile WithoutLines(Profile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return profile.Frames.Any(f => f.Line != 0)
            ? FrameMapping.Map(profile, frame => frame.Line != 0 ? Frame.Python(frame.Name, frame.File, 0, frame.FunctionLine) : frame)
            : profile;
    }
}
