using System.Globalization;
using Pyrometer.Agent.Cli;
using Pyrometer.Rendering.Model;

namespace Pyrometer.Agent.Session;

/// <summary>
/// Where each requested format is written: <c>-o FILE</c>, <c>--output-dir DIR</c>, or the current
/// directory; formats that are only uploaded go to a temporary directory removed afterwards.
/// </summary>
internal sealed class ArtifactSet(RecordSettings settings, int rootPid, DateTimeOffset startedAt)
{
    private string? _temporary;

    public async Task<IReadOnlyList<WrittenArtifact>> WriteAsync(Profile profile, CancellationToken cancellationToken)
    {
        var written = new List<WrittenArtifact>();
        foreach (var format in settings.Formats)
        {
            var path = PathFor(format);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true))
            {
                await ArtifactFormats.WriteAsync(format, profile, settings, file, cancellationToken).ConfigureAwait(false);
            }
            written.Add(await DescribeAsync(format, path, cancellationToken).ConfigureAwait(false));
        }
        return written;
    }

    public void CleanUp()
    {
        if (_temporary is not null)
        {
            Directory.Delete(_temporary, recursive: true);
        }
    }

    internal string PathFor(string format)
    {
        var uploadOnly = settings.Uploads.Any(u => u.Format == format) && settings.Output is null && settings.OutputDirectory is null;
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

    private static async Task<WrittenArtifact> DescribeAsync(string format, string path, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        var hash = await Sha256.HashAsync(file, cancellationToken).ConfigureAwait(false);
        return new WrittenArtifact(format, Path.GetFullPath(path), file.Length, Convert.ToHexStringLower(hash));
    }
}
