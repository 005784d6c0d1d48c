using Pyrometer.Agent.Cli;

return await PyrometerCommandLine.RunAsync(args).ConfigureAwait(false);
