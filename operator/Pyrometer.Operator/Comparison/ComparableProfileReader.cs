using System.Globalization;
using Pyrometer.Operator.Api.V1Alpha1;
using Pyrometer.Operator.Controllers;
using Pyrometer.Operator.Storage;
using Pyrometer.Rendering.Formats;
using Pyrometer.Rendering.Model;

namespace Pyrometer.Operator.Comparison;

/// <summary>
/// Reads a finished request's profile back from the store in a form that can be compared: the merged (pod "")
/// folded or pprof artifact when there is one, else every succeeded pod's, summed. Everything read is capped
/// (<see cref="MaxBytes"/> over all of a request's files) and parsed as untrusted input.
/// </summary>
internal sealed class ComparableProfileReader(IArtifactStore store)
{
    /// <summary>Far above a folded profile of an hour at 1 000 Hz over 20 pods, yet a bound on memory.</summary>
    public const long MaxBytes = 64L * 1024 * 1024;

    /// <summary>The formats a profile can be read back from, in order of preference.</summary>
    public static IReadOnlyList<string> ComparableFormats { get; } = [ProfileFormats.Folded, ProfileFormats.Pprof];

    /// <summary>The profile, or why it cannot be read (one sentence, without a trailing period).</summary>
    public async Task<(Profile? Profile, string? Problem)> ReadAsync(ProfileRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = $"{request.Metadata.NamespaceProperty}/{request.Metadata.Name}";
        if (Sources(request, out var problem) is not { } sources)
        {
            return (null, problem);
        }
        var folded = new List<Stream>();
        try
        {
            var budget = MaxBytes;
            foreach (var key in sources)
            {
                var (bytes, missing) = await ReadCappedAsync(key, budget, cancellationToken).ConfigureAwait(false);
                if (bytes is null)
                {
                    return (null, missing);
                }
                budget -= bytes.Length;
                folded.Add(key.Format == ProfileFormats.Folded ? new MemoryStream(bytes, writable: false) : ToFolded(bytes, name));
            }
            using var merged = new MemoryStream();
            await FoldedMerger.MergeAsync(folded, merged, cancellationToken).ConfigureAwait(false);
            merged.Position = 0;
            var profile = ProfileLoader.Load(merged, name);
            return profile.TotalSamples > 0 ? (profile, null) : (null, "its profile has no samples");
        }
        catch (Exception e) when (e is FormatException or ProfileFormatException)
        {
            return (null, "its stored profile is malformed: " + e.Message.TrimEnd('.'));
        }
        catch (ArgumentException e)
        {
            return (null, "its status names an artifact that cannot be stored: " + e.Message.TrimEnd('.'));
        }
        finally
        {
            foreach (var stream in folded)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>The keys to read: the merged profile, else one per succeeded pod; null with the reason when there is none.</summary>
    public static List<ArtifactKey>? Sources(ProfileRequest request, out string problem)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ns = request.Metadata.NamespaceProperty ?? "";
        var requestName = request.Metadata.Name ?? "";
        var artifacts = request.Status?.Artifacts ?? [];
        problem = "";
        if (ComparableFormats.FirstOrDefault(f => artifacts.Any(a => a.Pod.Length == 0 && a.Format == f)) is { } mergedFormat)
        {
            return [Key(ns, requestName, null, mergedFormat)];
        }
        var pods = request.Status?.Targets?.Where(t => t.Phase == ProfilePhases.Succeeded).Select(t => t.Pod).ToList() ?? [];
        if (pods.Count == 0)
        {
            problem = "it has no succeeded target";
            return null;
        }
        var keys = new List<ArtifactKey>();
        foreach (var pod in pods)
        {
            if (!ArtifactPath.IsSafeSegment(pod))
            {
                // Status is writable by whoever may patch it: never build a storage path from an unchecked name.
                problem = $"its status names a pod that is no valid name ('{(pod.Length > 64 ? pod[..64] + "..." : pod)}')";
                return null;
            }
            if (ComparableFormats.FirstOrDefault(f => artifacts.Any(a => a.Pod == pod && a.Format == f)) is not { } format)
            {
                var stored = string.Join(", ", artifacts.Where(a => a.Pod == pod).Select(a => a.Format));
                problem = $"pod {pod}'s profile was stored as {(stored.Length > 0 ? stored : "nothing")} only; comparing needs folded or pprof (list folded in spec.formats, or set spec.baseline, which stores it)";
                return null;
            }
            keys.Add(Key(ns, requestName, pod, format));
        }
        return keys;
    }

    private async Task<(byte[]? Bytes, string Problem)> ReadCappedAsync(ArtifactKey key, long budget, CancellationToken cancellationToken)
    {
        var stream = await store.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
        if (stream is null)
        {
            return (null, $"its artifact {key.RelativePath} is not in the store (deleted, or never uploaded)");
        }
        await using (stream.ConfigureAwait(false))
        {
            using var copy = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (copy.Length + read > budget)
                {
                    return (null, string.Create(CultureInfo.InvariantCulture,
                        $"its stored profile is larger than the {MaxBytes / (1024 * 1024)} MiB the operator reads for a comparison"));
                }
                copy.Write(buffer, 0, read);
            }
            return (copy.ToArray(), "");
        }
    }

    private static MemoryStream ToFolded(byte[] pprof, string name)
    {
        using var input = new MemoryStream(pprof, writable: false);
        var output = new MemoryStream();
        OutputFormats.Folded.Write(ProfileLoader.Load(input, name), output);
        output.Position = 0;
        return output;
    }

    private static ArtifactKey Key(string ns, string request, string? pod, string format) =>
        new(ns, request, pod, format, ProfileFormats.Extension(format));
}
