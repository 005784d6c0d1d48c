using Pyrometer.Kube.Api;
using Pyrometer.Kube.Models;

namespace Pyrometer.Operator.Api.V1Alpha1;

/// <summary>One profiling run of one or more Python processes in a pod (or several), like a Job.</summary>
[Schema("One profiling run: attach the pyrometer agent to Python processes in running pods, then publish the profiles.")]
internal sealed class ProfileRequest : IKubeResource
{
    public const string Group = "pyrometer.dev";
    public const string Version = "v1alpha1";
    public const string KindName = "ProfileRequest";
    public const string Plural = "profilerequests";
    public const string Singular = "profilerequest";
    public const string ShortName = "prof";

    public static ResourceInfo Resource { get; } = new(Group, Version, Plural, KindName, Namespaced: true);

    public string? ApiVersion { get; set; } = Group + "/" + Version;

    public string? Kind { get; set; } = KindName;

    public ObjectMeta Metadata { get; set; } = new();

    public ProfileRequestSpec Spec { get; set; } = new();

    public ProfileRequestStatus? Status { get; set; }
}
