namespace Pyrometer.Operator.Storage;

/// <summary>The catalog used until the controller registers its own: the viewer then lists nothing.</summary>
internal sealed class EmptyProfileRequestCatalog : IProfileRequestCatalog
{
    public IReadOnlyList<ViewerEntry> List() => [];
}
