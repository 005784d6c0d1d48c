namespace Pyrometer.Operator.Storage;

/// <summary>The HTTP answer of the built-in store to an upload or a download: status code and a one-line explanation.</summary>
internal sealed record StoreReply(int StatusCode, string Message)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}
