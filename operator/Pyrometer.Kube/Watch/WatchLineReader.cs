using System.Text;

namespace Pyrometer.Kube.Watch;

/// <summary>
/// Splits a watch response into newline-delimited JSON documents. Network reads end anywhere — in
/// the middle of a line or of a multi-byte character — so bytes are buffered until a full line is in.
/// </summary>
internal sealed class WatchLineReader : IDisposable
{
    /// <summary>No watch event comes near this; a longer line means a broken stream.</summary>
    public const int MaxLineBytes = 16 * 1024 * 1024;

    private readonly Stream _stream;
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;
    private bool _eof;

    public WatchLineReader(Stream stream) => _stream = stream;

    /// <summary>Returns the next non-empty line, or null at the end of the stream.</summary>
    public async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                var line = Take(newline - _start, skip: 1);
                if (line.Length > 0)
                {
                    return line;
                }
                continue;
            }
            if (_eof)
            {
                // A final document without a trailing newline still counts.
                return _end > _start ? Take(_end - _start, skip: 0) : null;
            }
            Compact();
            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                _eof = true;
            }
            _end += read;
        }
    }

    public void Dispose() => _stream.Dispose();

    private string Take(int length, int skip)
    {
        var line = Encoding.UTF8.GetString(_buffer, _start, length).Trim();
        _start += length + skip;
        return line;
    }

    private void Compact()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= MaxLineBytes)
            {
                throw new IOException($"A watch event exceeded {MaxLineBytes} bytes without a newline.");
            }
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
    }
}
