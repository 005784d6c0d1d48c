using System.Threading.Channels;

namespace Pyrometer.Kube.Testing;

/// <summary>One open watch stream: lines to write, or an instruction to drop the connection.</summary>
internal sealed class FakeWatch
{
    public FakeWatch(FakeResource resource, string? @namespace, bool bookmarks)
    {
        Resource = resource;
        Namespace = @namespace;
        Bookmarks = bookmarks;
    }

    public FakeResource Resource { get; }

    public string? Namespace { get; }

    public bool Bookmarks { get; }

    public Channel<string?> Lines { get; } = Channel.CreateUnbounded<string?>();

    /// <summary>Set before completing <see cref="Lines"/> to reset the connection instead of ending it cleanly.</summary>
    public bool Abort { get; set; }

    /// <summary>Set (under the store's lock) to stop sending anything while keeping the connection open.</summary>
    public bool Stalled { get; set; }

    public bool Covers(FakeResource resource, string? @namespace) =>
        Resource == resource && (Namespace is null || Namespace == @namespace);
}
