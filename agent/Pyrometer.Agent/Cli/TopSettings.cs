using Pyrometer.Agent.Commands;
using Pyrometer.Sampling.Sampling;

namespace Pyrometer.Agent.Cli;

/// <summary>Everything <c>pyrometer top</c> was asked to do, validated.</summary>
internal sealed record TopSettings(TargetSelector Target, bool Subprocesses, int Rate, TimeSpan Interval, int? Iterations, SamplingMode Mode, TopSort Sort);
