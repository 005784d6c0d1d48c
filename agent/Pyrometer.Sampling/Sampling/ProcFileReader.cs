using Microsoft.Win32.SafeHandles;

namespace Pyrometer.Sampling.Sampling;

/// <summary>
/// Reads small /proc files into one reused buffer: open, one read, close. A seq_file read fills the
/// buffer as far as the file goes, so a short read is the end and needs no second read to find it.
/// For a caller that scans a process tree many times a second; not thread-safe.
/// </summary>
internal sealed class ProcFileReader
{
    /// <summary>Largest file read (stat, status and children files are a few KB); a larger one reads as unreadable.</summary>
    public const int MaxBytes = 1 << 20;

    private byte[] _buffer = new byte[4096];

    /// <summary>The file's bytes, valid until the next read; false when it cannot be read (gone, denied).</summary>
    public bool TryRead(string path, out ReadOnlySpan<byte> content)
    {
        content = default;
        try
        {
            using SafeFileHandle handle = File.OpenHandle(path);
            var length = 0;
            while (true)
            {
                var read = RandomAccess.Read(handle, _buffer.AsSpan(length), length);
                length += read;
                if (read == 0 || length < _buffer.Length)
                {
                    break;
                }
                if (_buffer.Length >= MaxBytes)
                {
                    return false;
                }
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
            content = _buffer.AsSpan(0, length);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
