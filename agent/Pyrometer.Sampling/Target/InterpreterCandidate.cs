namespace Pyrometer.Sampling.Target;

/// <summary>
/// The ELF file believed to hold a process's interpreter, as mapped: a libpython when one is mapped
/// (embedders such as uwsgi or PyInstaller have other names), else the executable itself.
/// </summary>
/// <param name="Path">The mapped path, as /proc/PID/maps shows it.</param>
/// <param name="Name">What the file name says about the build, when it is a Python name.</param>
/// <param name="IsExecutable">True for the process's executable, false for a shared library.</param>
internal sealed record InterpreterCandidate(string Path, PythonBinaryName? Name, bool IsExecutable)
{
    /// <summary>The candidate of <paramref name="processId"/>, or null when neither kind is mapped.</summary>
    public static InterpreterCandidate? Choose(ProcFs procFs, int processId, ProcessMaps maps)
    {
        foreach (var path in maps.FilePaths())
        {
            var name = PythonBinaryName.TryParse(FileNameOf(path));
            if (name is { IsLibrary: true })
            {
                return new InterpreterCandidate(path, name, IsExecutable: false);
            }
        }

        var exe = procFs.TryReadExecutable(processId);
        if (exe is null)
        {
            return null;
        }
        exe = StripDeleted(exe);
        foreach (var path in maps.FilePaths())
        {
            if (string.Equals(path, exe, StringComparison.Ordinal))
            {
                return new InterpreterCandidate(path, PythonBinaryName.TryParse(FileNameOf(path)), IsExecutable: true);
            }
        }
        return null;
    }

    private static string StripDeleted(string path) =>
        path.EndsWith(" (deleted)", StringComparison.Ordinal) ? path[..^" (deleted)".Length] : path;

    private static string FileNameOf(string path) => path[(path.LastIndexOf('/') + 1)..];
}
