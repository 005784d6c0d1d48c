using Pyrometer.Kube.Models;
using Pyrometer.Operator.Controllers;

namespace Pyrometer.Operator.Tests.Controllers;

public sealed class CapacityLedgerTests
{
    private static ObjectKey Key(string name) => new("shop", name);

    [Fact]
    public void TryReserve_SamePodTwice_RefusesSecond()
    {
        var ledger = new CapacityLedger(10, 10);

        Assert.True(ledger.TryReserve(Key("a"), "shop", ["api-1"], out _));
        Assert.False(ledger.TryReserve(Key("b"), "shop", ["api-1"], out var why));
        Assert.Contains("one at a time per pod", why, StringComparison.Ordinal);
    }

    [Fact]
    public void TryReserve_NamespaceAndTotalCaps_Enforced()
    {
        var ledger = new CapacityLedger(2, 3);

        Assert.True(ledger.TryReserve(Key("a"), "shop", ["p1", "p2"], out _));
        Assert.False(ledger.TryReserve(Key("b"), "shop", ["p3"], out var ns));
        Assert.True(ledger.TryReserve(new ObjectKey("dev", "c"), "dev", ["p1"], out _));
        Assert.False(ledger.TryReserve(new ObjectKey("ops", "d"), "ops", ["p1"], out var total));

        Assert.Contains("namespace shop (cap 2)", ns, StringComparison.Ordinal);
        Assert.Contains("cluster-wide (cap 3)", total, StringComparison.Ordinal);
        Assert.Equal(3, ledger.InUse);
    }

    [Fact]
    public void Release_FreesSlotsOnce()
    {
        var ledger = new CapacityLedger(1, 1);
        ledger.Adopt(Key("a"), "shop", ["api-1"]);

        Assert.True(ledger.Release(Key("a")));
        Assert.False(ledger.Release(Key("a")));
        Assert.True(ledger.TryReserve(Key("b"), "shop", ["api-1"], out _));
    }

    [Fact]
    public void TryReserve_SameRequestAgain_IsIdempotent()
    {
        var ledger = new CapacityLedger(1, 1);

        Assert.True(ledger.TryReserve(Key("a"), "shop", ["api-1"], out _));
        Assert.True(ledger.TryReserve(Key("a"), "shop", ["api-1"], out _));
        Assert.Equal(1, ledger.InUse);
    }
}
