using System.Globalization;

namespace Pyrometer.Operator.Storage;

/// <summary>
/// Remembers which upload URLs have been used, as one empty file per nonce named <c>&lt;expires&gt;.&lt;nonce&gt;</c>.
/// Creating the file with <see cref="FileMode.CreateNew"/> is the atomic test-and-set, so two racing uploads
/// with the same URL cannot both win, and the ledger survives operator restarts. Entries whose URL has
/// expired are swept: the expiry check refuses those URLs anyway.
/// </summary>
internal sealed class NonceLedger
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(10);

    private readonly string _directory;
    private readonly TimeProvider _time;
    private readonly Lock _sweepLock = new();
    private DateTimeOffset _nextSweep;

    public NonceLedger(string directory, TimeProvider time)
    {
        _directory = directory;
        _time = time;
        Directory.CreateDirectory(directory);
        _nextSweep = time.GetUtcNow();
    }

    public bool IsUsed(string nonce, long expires) => File.Exists(PathOf(nonce, expires));

    /// <summary>Marks the nonce used; false when it already was.</summary>
    public bool TryConsume(string nonce, long expires)
    {
        SweepIfDue();
        try
        {
            using var marker = new FileStream(PathOf(nonce, expires), FileMode.CreateNew, FileAccess.Write, FileShare.None);
            return true;
        }
        catch (IOException) when (File.Exists(PathOf(nonce, expires)))
        {
            return false;
        }
    }

    /// <summary>Deletes entries whose URLs have expired; returns how many.</summary>
    public int SweepExpired()
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var removed = 0;
        foreach (var path in Directory.EnumerateFiles(_directory))
        {
            var name = Path.GetFileName(path);
            var dot = name.IndexOf('.', StringComparison.Ordinal);
            if (dot > 0 && long.TryParse(name.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var expires) && expires < now)
            {
                File.Delete(path);
                removed++;
            }
        }
        return removed;
    }

    private void SweepIfDue()
    {
        lock (_sweepLock)
        {
            var now = _time.GetUtcNow();
            if (now < _nextSweep)
            {
                return;
            }
            _nextSweep = now + SweepInterval;
        }
        SweepExpired();
    }

    private string PathOf(string nonce, long expires) =>
        Path.Combine(_directory, string.Create(CultureInfo.InvariantCulture, $"{expires}.{nonce}"));
}
