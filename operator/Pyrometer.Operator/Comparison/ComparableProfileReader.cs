using System.Globalization;
using Pyrometer.Operator.Api.V1Alpha1;
using Pyrometer.Operator.Storage;
using Pyrometer.Rendering.Formats;
using Pyrometer.Rendering.Model;

namespace Pyrometer.Operator.Comparison;

/// <summary>
/// Reads a finished request's profile back from the store in a form that can be compared: the merged (pod "")
/// folded or pprof artifact when there is one, else every succeeded pod's, summed by <see cref="ProfileMerger"/>.
/// Everything read is capped (<see cref="MaxBytes"/> over all of a request's files, and each pprof inflated) and
/// parsed as untrusted input.
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
        var opened = new List<Stream>();
        try
        {
            foreach (var key in sources)
            {
                if (await store.OpenReadAsync(key, cancellationToken).ConfigureAwait(false) is not { } stream)
                {
                    return (null, $"its artifact {key.RelativePath} is not in the store (deleted, or never uploaded)");
                }
                opened.Add(stream);
            }
            var profile = await ProfileMerger.MergeAsync(opened, name, MaxBytes, cancellationToken).ConfigureAwait(false);
            return profile.TotalSamples > 0 ? (profile, null) : (null, "its profile has no samples");
        }
        catch (ProfileTooLargeException)
        {
            return (null, string.Create(CultureInfo.InvariantCulture,
                $"its stored profile is larger than the {MaxBytes / (1024 * 1024)} MiB the operator reads for a comparison"));
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
            foreach (var stream in opened)
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

    private static ArtifactKey Key(string ns, string request, string? pod, string format) =>
        new(ns, request, pod, format, ProfileFormats.Extension(format));
}
