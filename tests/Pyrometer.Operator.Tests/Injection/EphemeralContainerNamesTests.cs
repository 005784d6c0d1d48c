using Pyrometer.Operator.Injection;

namespace Pyrometer.Operator.Tests.Injection;

public sealed class EphemeralContainerNamesTests
{
    [Fact]
    public void For_Uuid_UsesFirstTwelveHexDigits()
    {
        Assert.Equal("pyrometer-3f9c2a110000", EphemeralContainerNames.For("3F9C2A11-0000-4000-8000-000000000001"));
    }

    [Fact]
    public void For_UuidsSharingSixDigits_GetDistinctNames()
    {
        // Two real UIDs that a 6-digit name could not tell apart: the second request would have adopted the first's agent.
        var a = EphemeralContainerNames.For("3f9c2a11-0000-4000-8000-000000000001");
        var b = EphemeralContainerNames.For("3f9c2a22-0000-4000-8000-000000000001");

        Assert.NotEqual(a, b);
    }

    [Fact]
    public void For_SameUid_SameNameEveryTime()
    {
        Assert.Equal(EphemeralContainerNames.For("3f9c2a11-0000-4000-8000-000000000001"), EphemeralContainerNames.For("3f9c2a11-0000-4000-8000-000000000001"));
    }

    [Fact]
    public void For_ShortUid_HashesSoNamesStayDistinct()
    {
        var a = EphemeralContainerNames.For("uid-7");
        var b = EphemeralContainerNames.For("uid-8");

        Assert.NotEqual(a, b);
        Assert.Matches("^pyrometer-[0-9a-f]{12}$", a);
    }
}
