using k8s.Models;

namespace Pyrometer.Operator.Storage;

/// <summary>A person the API server vouched for: the SHA-256 of their token (a cache key) and who they are.</summary>
internal sealed record ViewerUser(string TokenKey, V1UserInfo Info)
{
    public string Name => Info.Username ?? "";
}
