namespace Pyrometer.Rendering.Pprof;

/// <summary>
/// Field numbers of pprof's profile.proto (package perftools.profiles), written out by hand because no
/// protoc runs here. Only the fields Pyrometer writes or reads are listed.
/// </summary>
internal static class ProfileProto
{
    // message Profile
    public const int SampleType = 1;
    public const int Sample = 2;
    public const int Location = 4;
    public const int Function = 5;
    public const int StringTable = 6;
    public const int TimeNanos = 9;
    public const int DurationNanos = 10;
    public const int PeriodType = 11;
    public const int Period = 12;
    public const int Comment = 13;
    public const int DefaultSampleType = 14;

    // message ValueType
    public const int ValueTypeType = 1;
    public const int ValueTypeUnit = 2;

    // message Sample
    public const int SampleLocationId = 1;
    public const int SampleValue = 2;
    public const int SampleLabel = 3;

    // message Label
    public const int LabelKey = 1;
    public const int LabelStr = 2;
    public const int LabelNum = 3;

    // message Location
    public const int LocationId = 1;
    public const int LocationLine = 4;

    // message Line
    public const int LineFunctionId = 1;
    public const int LineLine = 2;

    // message Function
    public const int FunctionId = 1;
    public const int FunctionName = 2;
    public const int FunctionSystemName = 3;
    public const int FunctionFilename = 4;
    public const int FunctionStartLine = 5;
}
