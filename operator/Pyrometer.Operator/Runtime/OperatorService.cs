using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pyrometer.Kube.Api;
using Pyrometer.Kube.LeaderElection;
using Pyrometer.Operator.Controllers;
using Pyrometer.Operator.Health;
using Pyrometer.Operator.Injection;
using Pyrometer.Operator.Metrics;
using Pyrometer.Operator.Storage;

namespace Pyrometer.Operator.Runtime;

/// <summary>
/// Runs the controller while this replica leads. Losing the lease stops the host: the process exits and restarts
/// cleanly rather than continuing with caches and slots it can no longer trust.
/// </summary>
internal sealed partial class OperatorService : BackgroundService
{
    private readonly IKubeApi _api;
    private readonly IArtifactStore _store;
    private readonly OperatorOptions _options;
    private readonly LeaderElectionOptions _election;
    private readonly OperatorState _state;
    private readonly ProfileRequestCatalog _catalog;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly OperatorMetrics _metrics;
    private readonly IHostApplicationLifetime _lifetime;

    public OperatorService(
        IKubeApi api, IArtifactStore store, IOptions<OperatorOptions> options, IOptions<LeaderElectionOptions> election, OperatorState state,
        ProfileRequestCatalog catalog,
        TimeProvider time, ILoggerFactory loggers, OperatorMetrics metrics, IHostApplicationLifetime lifetime)
    {
        _api = api;
        _store = store;
        _options = options.Value;
        _election = election.Value;
        _state = state;
        _catalog = catalog;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<OperatorService>();
        _metrics = metrics;
        _lifetime = lifetime;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var mode = await EphemeralContainerInjector.DetectModeAsync(_api, stoppingToken).ConfigureAwait(false);
            _state.Mode = mode;
            LogMode(_logger, mode);
            var elector = new LeaseElector(_api, _election, _loggers.CreateLogger<LeaseElector>(), _time);
            _state.Identity = elector.Identity;
            _state.Ready = true;
            var lost = await elector.RunAsync(token => LeadAsync(mode, token), stoppingToken).ConfigureAwait(false);
            if (lost)
            {
                LogLostLease(_logger, elector.Identity);
                _lifetime.StopApplication();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // graceful shutdown
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or InvalidOperationException or ArgumentException)
        {
            LogFatal(_logger, e);
            Environment.ExitCode = 1;
            _lifetime.StopApplication();
        }
    }

    private async Task LeadAsync(InjectionMode mode, CancellationToken cancellationToken)
    {
        var ledger = new CapacityLedger(_options.MaxConcurrentPerNamespace, _options.MaxConcurrentTotal);
        var reconciler = new ProfileRequestReconciler(
            _api, _store, _options, ledger, new EphemeralContainerInjector(_api, mode), _time,
            _loggers.CreateLogger<ProfileRequestReconciler>(), _metrics);
        using var controller = new ProfileRequestController(_api, reconciler, ledger, _options, _time, _loggers, _metrics);
        _state.Leading = true;
        _catalog.Source = controller.Requests;
        try
        {
            await controller.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _catalog.Source = null;
            _state.Leading = false;
        }
    }

    [LoggerMessage(2001, LogLevel.Information, "The API server takes ephemeral containers as {Mode} bodies")]
    private static partial void LogMode(ILogger logger, InjectionMode mode);

    [LoggerMessage(2002, LogLevel.Warning, "Lost the leader lease as {Identity}; stopping so a clean process takes over")]
    private static partial void LogLostLease(ILogger logger, string identity);

    [LoggerMessage(2003, LogLevel.Critical, "The operator cannot run")]
    private static partial void LogFatal(ILogger logger, Exception exception);
}
