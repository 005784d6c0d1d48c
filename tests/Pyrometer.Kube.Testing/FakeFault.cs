namespace Pyrometer.Kube.Testing;

/// <summary>An injected failure: requests matching <see cref="Matches"/> get <see cref="Code"/> while <see cref="Remaining"/> lasts.</summary>
internal sealed class FakeFault
{
    public required Func<string, string, bool> Matches { get; init; }

    public required int Code { get; init; }

    public string Reason { get; init; } = "InternalError";

    public int? RetryAfterSeconds { get; init; }

    /// <summary>The Status message, e.g. an admission controller's refusal.</summary>
    public string Message { get; init; } = "injected failure";

    /// <summary>Answer nothing at all, not even headers, until the client gives up (a server or proxy that froze).</summary>
    public bool Hang { get; init; }

    /// <summary>How many more requests fail; negative for no limit.</summary>
    public int Remaining { get; set; } = 1;
}
