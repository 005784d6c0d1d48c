namespace Pyrometer.Agent.Contracts;

/// <summary>Values of <see cref="AgentResult.Status"/>.</summary>
public static class ResultStatus
{
    /// <summary>Sampled for the whole duration and delivered every artifact.</summary>
    public const string Ok = "ok";

    /// <summary>Stopped early, the target exited, or some uploads failed; what was sampled is kept.</summary>
    public const string Partial = "partial";

    /// <summary>Nothing useful was produced; <see cref="AgentResult.Error"/> says why.</summary>
    public const string Error = "error";
}
