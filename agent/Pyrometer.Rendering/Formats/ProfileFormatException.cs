namespace Pyrometer.Rendering.Formats;

/// <summary>An input profile (folded text or pprof) that cannot be read; the message says where and why.</summary>
internal sealed class ProfileFormatException : FormatException
{
    public ProfileFormatException()
    {
    }

    public ProfileFormatException(string message)
        : base(message)
    {
    }

    public ProfileFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
