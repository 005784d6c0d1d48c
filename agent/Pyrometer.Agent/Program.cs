using Pyrometer.Agent.Cli;
using Pyrometer.Sampling.Sampling;

// First: until this runs, a process of the agent's user can read its environment (upload URLs).
// Best effort: a failure (never expected on Linux) must not keep the profiler from working.
_ = SelfProtection.MakeNonDumpable();

return await PyrometerCommandLine.RunAsync(args).ConfigureAwait(false);
