namespace Incentives.Api.Security;

/// <summary>Writes the queued access-log rows off the request path: every <see cref="Interval"/>, in transactions of
/// <see cref="ApiStore.AccessBatch"/> rows, and once more on a clean stop (the store writes what is left when it
/// closes, after the server has finished its last requests). Also makes the data folder's files private once every
/// start-up file exists.</summary>
internal sealed partial class AccessLogWriter(ApiStore store, ILogger<AccessLogWriter> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Hosted services start in order: by now the engine's files, api.db and the demo or admin key file exist.
        Hosting.FileModes.PrivateFiles(store.DataDirectory);
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        store.FlushAccessLog();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    store.FlushAccessLog();
                }
                catch (Exception e) when (e is LiteDB.LiteException or IOException)
                {
                    // The rows stay queued and the next tick tries again; the log says why.
                    LogFailure(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync writes what is left.
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "could not write the access log; the rows stay queued")]
    private static partial void LogFailure(ILogger logger, Exception exception);
}
