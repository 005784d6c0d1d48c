using System.Threading.Channels;

namespace Pyrometer.Operator.Controllers;

/// <summary>
/// A controller work queue: a key is queued at most once, is never handed to two workers at the same time (a key
/// added while being processed is queued again when its worker is done), delayed adds use the injected clock, and
/// failures back off exponentially per key.
/// </summary>
internal sealed class WorkQueue<T> : IDisposable
    where T : notnull
{
    private readonly Lock _lock = new();
    private readonly Channel<T> _ready = Channel.CreateUnbounded<T>();
    private readonly HashSet<T> _queued = [];
    private readonly HashSet<T> _processing = [];
    private readonly HashSet<T> _dirty = [];
    private readonly Dictionary<T, int> _failures = [];
    private readonly Dictionary<T, (ITimer Timer, DateTimeOffset Due)> _delayed = [];
    private readonly TimeProvider _time;
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _maxDelay;
    private bool _disposed;

    public WorkQueue(TimeProvider time, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (baseDelay <= TimeSpan.Zero || maxDelay < baseDelay)
        {
            throw new ArgumentException("WorkQueue needs 0 < baseDelay <= maxDelay.", nameof(baseDelay));
        }
        _time = time;
        _baseDelay = baseDelay;
        _maxDelay = maxDelay;
    }

    /// <summary>Keys waiting for a worker (not counting delayed ones).</summary>
    public int Depth
    {
        get
        {
            lock (_lock)
            {
                return _queued.Count;
            }
        }
    }

    public void Add(T key)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            if (_processing.Contains(key))
            {
                _dirty.Add(key);   // handed out already: run once more after the current run ends
                return;
            }
            if (_queued.Add(key))
            {
                _ready.Writer.TryWrite(key);
            }
        }
    }

    /// <summary>Adds the key after <paramref name="delay"/>; an earlier pending delay for the same key wins.</summary>
    public void AddAfter(T key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            var due = _time.GetUtcNow() + delay;
            if (_delayed.TryGetValue(key, out var existing))
            {
                if (existing.Due <= due)
                {
                    return;
                }
                existing.Timer.Dispose();
            }
            var timer = _time.CreateTimer(_ => Fire(key), null, delay, Timeout.InfiniteTimeSpan);
            _delayed[key] = (timer, due);
        }
    }

    /// <summary>Adds the key after a backoff that doubles with each failure since the last <see cref="Forget"/>.</summary>
    public TimeSpan AddRateLimited(T key)
    {
        TimeSpan delay;
        lock (_lock)
        {
            var failures = _failures.GetValueOrDefault(key);
            _failures[key] = failures + 1;
            var ticks = _baseDelay.Ticks * Math.Pow(2, Math.Min(failures, 30));
            delay = ticks >= _maxDelay.Ticks ? _maxDelay : TimeSpan.FromTicks((long)ticks);
        }
        AddAfter(key, delay);
        return delay;
    }

    /// <summary>Clears the key's failure count after a successful reconcile.</summary>
    public void Forget(T key)
    {
        lock (_lock)
        {
            _failures.Remove(key);
        }
    }

    /// <summary>Waits for the next key; the caller must call <see cref="Done"/> with it.</summary>
    public async ValueTask<T> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var key = await _ready.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            lock (_lock)
            {
                if (_queued.Remove(key))
                {
                    _processing.Add(key);
                    return key;
                }
            }
        }
    }

    public void Done(T key)
    {
        lock (_lock)
        {
            _processing.Remove(key);
            if (_dirty.Remove(key) && !_disposed && _queued.Add(key))
            {
                _ready.Writer.TryWrite(key);
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            foreach (var (timer, _) in _delayed.Values)
            {
                timer.Dispose();
            }
            _delayed.Clear();
            _ready.Writer.TryComplete();
        }
    }

    private void Fire(T key)
    {
        lock (_lock)
        {
            _delayed.Remove(key);
        }
        Add(key);
    }
}
