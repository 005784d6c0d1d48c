using Pyrometer.Operator.Storage.Tests.Support;

namespace Pyrometer.Operator.Storage.Tests.Storage;

public sealed class NonceLedgerTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero));

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void TryConsume_SameNonceTwice_SecondFails()
    {
        var ledger = new NonceLedger(_directory.Path, _time);
        var nonce = UrlSigner.NewNonce();

        Assert.False(ledger.IsUsed(nonce, 1_800_000_000));
        Assert.True(ledger.TryConsume(nonce, 1_800_000_000));
        Assert.True(ledger.IsUsed(nonce, 1_800_000_000));
        Assert.False(ledger.TryConsume(nonce, 1_800_000_000));
    }

    [Fact]
    public void TryConsume_ManyThreadsOneNonce_ExactlyOneWins()
    {
        var ledger = new NonceLedger(_directory.Path, _time);
        var nonce = UrlSigner.NewNonce();

        var wins = Enumerable.Range(0, 16).AsParallel().Count(_ => ledger.TryConsume(nonce, 1_800_000_000));

        Assert.Equal(1, wins);
    }

    [Fact]
    public void TryConsume_NewLedgerOnSameDirectory_RemembersUsedNonces()
    {
        var nonce = UrlSigner.NewNonce();
        Assert.True(new NonceLedger(_directory.Path, _time).TryConsume(nonce, 1_800_000_000));

        Assert.False(new NonceLedger(_directory.Path, _time).TryConsume(nonce, 1_800_000_000));
    }

    [Fact]
    public void SweepExpired_RemovesOnlyEntriesWhoseUrlExpired()
    {
        var ledger = new NonceLedger(_directory.Path, _time);
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var old = UrlSigner.NewNonce();
        var live = UrlSigner.NewNonce();
        ledger.TryConsume(old, now - 1);
        ledger.TryConsume(live, now + 60);

        var removed = ledger.SweepExpired();

        Assert.Equal(1, removed);
        Assert.False(ledger.IsUsed(old, now - 1));
        Assert.True(ledger.IsUsed(live, now + 60));
    }
}
