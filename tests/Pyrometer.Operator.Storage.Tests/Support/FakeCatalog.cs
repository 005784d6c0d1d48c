namespace Pyrometer.Operator.Storage.Tests.Support;

/// <summary>The viewer's catalog as the controller will provide it, with entries the test chooses.</summary>
internal sealed class FakeCatalog(params ViewerEntry[] entries) : IProfileRequestCatalog
{
    public IReadOnlyList<ViewerEntry> List() => entries;
}
