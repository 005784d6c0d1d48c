using Pyrometer.Rendering.Formats;
using Pyrometer.Rendering.Model;

namespace Pyrometer.Operator.Storage;

/// <summary>
/// Reads one stored profile (folded text or pprof) for a comparison, bounded: at most <c>maxBytes</c> are read
/// from the store, and a gzipped pprof is inflated to at most <c>maxBytes</c> too, so a large or hostile object
/// cannot exhaust the operator's memory. Failures are <see cref="ViewerCompareProblem"/>s naming the artifact.
/// </summary>
internal static class ViewerProfileLoader
{
    public static async Task<Profile> LoadAsync(IArtifactStore store, ArtifactKey key, long maxBytes, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(key);
        Stream? content;
        try
        {
            content = await store.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (ArtifactStoreException e)
        {
            throw new ViewerCompareProblem(502, $"Could not read {key.RelativePath} from the store: {e.Message}");
        }
        if (content is null)
        {
            throw new ViewerCompareProblem(404, $"The profile {key.RelativePath} of {name} is listed in its status but not in the store.");
        }
        byte[] bytes;
        await using (content.ConfigureAwait(false))
        {
            bytes = await ReadBoundedAsync(content, maxBytes, key, "stored", cancellationToken).ConfigureAwait(false);
        }
        try
        {
            return ProfileLoader.Load(new MemoryStream(bytes, writable: false), name, maxBytes);
        }
        catch (ProfileTooLargeException)
        {
            throw new ViewerCompareProblem(413,
                $"The profile {key.RelativePath} is larger than the viewer compares (inflated size over {maxBytes} bytes, Storage:Viewer:MaxCompareProfileBytes); download both and run pyrometer diff.");
        }
        catch (Exception e) when (e is ProfileFormatException or InvalidDataException)
        {
            throw new ViewerCompareProblem(422, $"The profile {key.RelativePath} of {name} is not readable: {e.Message}");
        }
    }

    private static async Task<byte[]> ReadBoundedAsync(Stream input, long maxBytes, ArtifactKey key, string what, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await input.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new ViewerCompareProblem(413,
                    $"The profile {key.RelativePath} is larger than the viewer compares ({what} size over {maxBytes} bytes, Storage:Viewer:MaxCompareProfileBytes); download both and run pyrometer diff.");
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
