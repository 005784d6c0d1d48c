namespace Pyrometer.Rendering.Pprof;

/// <summary>Names Pyrometer uses inside pprof files: label keys for the pseudo-frames and comment keys for metadata.</summary>
internal static class PprofLabels
{
    public const string Pid = "pid";
    public const string Process = "process";
    public const string ThreadId = "thread_id";
    public const string Thread = "thread";

    public const string TargetComment = "pyrometer.target=";
    public const string PythonComment = "pyrometer.python=";
    public const string RateComment = "pyrometer.rate=";
    public const string MissedComment = "pyrometer.missed=";
    public const string ErrorsComment = "pyrometer.errors=";
}
