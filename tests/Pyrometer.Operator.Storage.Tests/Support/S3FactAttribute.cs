namespace Pyrometer.Operator.Storage.Tests.Support;

/// <summary>A fact that skips itself, saying why, when the local S3 server is not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class S3FactAttribute : FactAttribute
{
    public S3FactAttribute()
    {
        if (S3Server.Installation is null)
        {
            Skip = "The local S3 server is not installed: run `hack/lib/s3-server.sh install` (needs node and npm; "
                + "Debian's rclone lacks `serve s3`, so s3rver from npm stands in).";
        }
    }
}
