using Pyrometer.Operator.Injection;

namespace Pyrometer.Operator.Tests.Injection;

public sealed class EphemeralContainerNamesTests
{
    [Fact]
    public void For_Uuid_UsesFirstSixHexDigits()
    {
        Assert.Equal("pyrometer-3f9c2a", EphemeralContainerNames.For("3F9C2A11-0000-4000-8000-000000000001"));
    }

    [Fact]
    public void For_ShortUid_HashesSoNamesStayDistinct()
    {
        var a = EphemeralContainerNames.For("uid-7");
        var b = EphemeralContainerNames.For("uid-8");

        Assert.NotEqual(a, b);
        Assert.Matches("^pyrometer-[0-9a-f]{6}$", a);
    }
}
