namespace Pyrometer.Operator.Storage;

/// <summary>The HTTP answer to an upload to the built-in store: status code and a one-line explanation.</summary>
internal sealed record UploadReply(int StatusCode, string Message)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}
