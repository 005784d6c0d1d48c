namespace Pyrometer.Operator.Storage;

/// <summary>
/// What the viewer page shows: the ProfileRequests the operator knows (from its informer cache). The controller
/// implements it; until it registers one, <see cref="EmptyProfileRequestCatalog"/> stands in.
/// </summary>
public interface IProfileRequestCatalog
{
    /// <summary>A snapshot of the known requests, in any order (the page sorts them); must not block on the network.</summary>
    IReadOnlyList<ViewerEntry> List();
}
