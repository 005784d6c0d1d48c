using Pyrometer.Operator.Api.V1Alpha1;
using Pyrometer.Operator.Storage;

namespace Pyrometer.Operator.Tests.Api.V1Alpha1;

public sealed class ProfileRequestTests
{
    [Fact]
    public void Resource_IsWhatTheViewerChecksPermissionFor()
    {
        // Storage cannot see the API types; it spells the resource out, and the viewer's SubjectAccessReviews must
        // ask about the resource users are granted in their RBAC.
        Assert.Equal(ViewerPermission.Group, ProfileRequest.Resource.Group);
        Assert.Equal(ViewerPermission.Resource, ProfileRequest.Resource.Plural);
    }
}
