using System.Text;

namespace Pyrometer.Kube.Watch;

/// <summary>
/// Splits a watch response into newline-delimited JSON documents. Network reads end anywhere — in
/// the middle of a line or of a multi-byte character — so bytes are buffered until a full line is in.
/// With an idle timeout, a read that gets no byte for that long fails with <see cref="TimeoutException"/>:
/// a connection that died without a reset never ends the stream by itself.
/// </summary>
internal sealed class WatchLineReader : IDisposable
{
    /// <summary>No watch event comes near this; a longer line means a broken stream.</summary>
    public const int MaxLineBytes = 16 * 1024 * 1024;

    private readonly Stream _stream;
    private readonly TimeSpan _idleTimeout;
    private readonly CancellationTokenSource? _idle;
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;
    private bool _eof;

    /// <summary>Reads lines from <paramref name="stream"/>.</summary>
    /// <param name="stream">The response body.</param>
    /// <param name="time">The clock of the idle timeout.</param>
    /// <param name="idleTimeout">The longest wait for the next byte; infinite when null.</param>
    public WatchLineReader(Stream stream, TimeProvider? time = null, TimeSpan? idleTimeout = null)
    {
        _stream = stream;
        _idleTimeout = idleTimeout ?? Timeout.InfiniteTimeSpan;
        if (idleTimeout is { } idle)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(idle, TimeSpan.Zero);
            // Armed only while a read is pending (CancelAfter below), so a slow consumer is not mistaken for a dead server.
            _idle = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time ?? TimeProvider.System);
        }
    }

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
            var read = await ReadChunkAsync(cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                _eof = true;
            }
            _end += read;
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        _idle?.Dispose();
    }

    private async ValueTask<int> ReadChunkAsync(CancellationToken cancellationToken)
    {
        if (_idle is null)
        {
            return await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        }
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _idle.Token);
        _idle.CancelAfter(_idleTimeout);
        try
        {
            return await _stream.ReadAsync(_buffer.AsMemory(_end), linked.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && _idle.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"The watch sent nothing (not even a bookmark) for {_idleTimeout.TotalSeconds:0} s; the connection is presumed dead.", e);
        }
        finally
        {
            if (!_idle.IsCancellationRequested)
            {
                _idle.CancelAfter(Timeout.InfiniteTimeSpan);
            }
        }
    }

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
