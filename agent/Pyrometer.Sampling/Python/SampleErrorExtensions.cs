using Pyrometer.Sampling.Memory;

namespace Pyrometer.Sampling.Python;

internal static class SampleErrorExtensions
{
    /// <summary>Fatal errors end sampling of the target; the rest are counted and sampling goes on.</summary>
    public static bool IsFatal(this SampleError error) => error is SampleError.ProcessGone or SampleError.PermissionDenied;

    public static SampleError ToSampleError(this ReadStatus status) => status switch
    {
        ReadStatus.Ok => SampleError.None,
        ReadStatus.ProcessGone => SampleError.ProcessGone,
        ReadStatus.PermissionDenied => SampleError.PermissionDenied,
        _ => SampleError.TornRead,
    };
}
