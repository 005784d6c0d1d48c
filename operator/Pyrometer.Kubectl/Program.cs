using Pyrometer.Kubectl.Cli;

return await KubectlCommandLine.RunAsync(args).ConfigureAwait(false);
