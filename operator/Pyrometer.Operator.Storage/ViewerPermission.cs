namespace Pyrometer.Operator.Storage;

/// <summary>
/// The permission the viewer checks before it shows a namespace's profiles: <c>get</c> on ProfileRequests. Spelled
/// out here because storage sits below the operator and cannot see its API types; a test in the operator's suite
/// holds these equal to the CRD's group and plural.
/// </summary>
internal static class ViewerPermission
{
    public const string Group = "pyrometer.dev";

    public const string Resource = "profilerequests";
}
