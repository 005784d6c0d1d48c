using System.Globalization;
using Pyrometer.Agent.Cli;
using Pyrometer.Rendering.Formats;
using Pyrometer.Rendering.Model;

namespace Pyrometer.Agent.Session;

/// <summary>
/// Where each requested format is written: <c>-o FILE</c>, <c>--output-dir DIR</c>, or the current
/// directory; formats that are only uploaded go to a temporary directory removed afterwards.
/// </summary>
internal sealed class ArtifactSet(RecordSettings settings, DateTimeOffset startedAt)
{
    private string? _temporary;

    /// <summary>
    /// Renders and writes each format, then hashes the file. Synchronous on purpose: the files are
    /// local and small, and async file I/O on Linux runs on the thread pool, whose start (worker and
    /// gate threads) cost more CPU than the writing itself (issue #7).
    /// </summary>
    /// <param name="pprofProfile">The profile with process and thread frames for pprof's labels; null: <paramref name="profile"/>.</param>
    public IReadOnlyList<WrittenArtifact> Write(Profile profile, int rootPid, Profile? pprofProfile = null)
    {
        var written = new List<WrittenArtifact>();
        foreach (var format in settings.Formats)
        {
            var path = PathFor(format, rootPid);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024))
            {
                ArtifactFormats.Write(format, format == OutputFormats.Pprof.Name ? pprofProfile ?? profile : profile, settings, file);
            }
            written.Add(Describe(format, path));
        }
        return written;
    }

    /// <summary>
    /// Before anything is launched or sampled: every output can be written (folders are created).
    /// Returns the first problem, or null.
    /// </summary>
    public string? Check()
    {
        foreach (var format in settings.Formats)
        {
            var problem = UploadOnly(format) ? CheckTemporary()
                : settings.Output is { } output ? WritableCheck.File(output, "output file")
                : WritableCheck.Directory(settings.OutputDirectory ?? ".", "output directory");
            if (problem is not null)
            {
                return problem;
            }
        }
        return null;
    }

    public void CleanUp()
    {
        if (_temporary is not null)
        {
            Directory.Delete(_temporary, recursive: true);
            _temporary = null;
        }
    }

    internal string PathFor(string format, int rootPid)
    {
        var uploadOnly = UploadOnly(format);
        if (settings.Output is { } output && !uploadOnly)
        {
            return output;
        }
        var name = string.Create(CultureInfo.InvariantCulture, $"pyrometer-{rootPid}-{startedAt:yyyyMMdd-HHmmss}{ArtifactFormats.Extension(format)}");
        if (uploadOnly)
        {
            _temporary ??= Directory.CreateTempSubdirectory("pyrometer-").FullName;
            return Path.Combine(_temporary, format + ArtifactFormats.Extension(format));
        }
        return Path.Combine(settings.OutputDirectory ?? ".", name);
    }

    /// <summary>True for a temporary copy that exists only to be uploaded.</summary>
    public bool IsTemporary(string path) => _temporary is not null && path.StartsWith(_temporary + "/", StringComparison.Ordinal);

    private bool UploadOnly(string format) =>
        settings.Uploads.Any(u => u.Format == format) && settings.Output is null && settings.OutputDirectory is null;

    private string? CheckTemporary()
    {
        try
        {
            _temporary ??= Directory.CreateTempSubdirectory("pyrometer-").FullName;
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot create a temporary folder for uploads under {Path.GetTempPath()}: {WritableCheck.Reason(e, Path.GetTempPath())}";
        }
    }

    private static WrittenArtifact Describe(string format, string path)
    {
        using var file = File.OpenRead(path);
        var hash = Sha256.Hash(file);
        return new WrittenArtifact(format, Path.GetFullPath(path), file.Length, Convert.ToHexStringLower(hash));
    }
}
