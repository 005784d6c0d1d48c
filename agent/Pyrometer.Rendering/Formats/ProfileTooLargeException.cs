namespace Pyrometer.Rendering.Formats;

/// <summary>An input profile over the size its reader was allowed (stored, or after inflating gzip).</summary>
public sealed class ProfileTooLargeException : IOException
{
    /// <summary>An error with <paramref name="message"/> naming the cap <paramref name="maxBytes"/>.</summary>
    public ProfileTooLargeException(string message, long maxBytes)
        : base(message)
    {
        MaxBytes = maxBytes;
    }

    /// <summary>The cap that was exceeded, in bytes.</summary>
    public long MaxBytes { get; }
}
