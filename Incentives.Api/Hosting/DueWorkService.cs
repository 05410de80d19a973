namespace Incentives.Api.Hosting;

/// <summary>Runs the engine's due work (lapsed holds, points expiry, overdue loans) every minute. The engine reads the
/// injected clock, so tests drive it with a fake one.</summary>
internal sealed partial class DueWorkService(IncentivesEngine engine, ILogger<DueWorkService> log) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var report = await engine.RunDueWorkAsync();
                if (report.ExpiredHolds + report.ExpiredLots + report.OverdueLoans > 0)
                {
                    LogReport(log, report.ExpiredHolds, report.ExpiredLots, report.ExpiredPoints, report.OverdueLoans);
                }
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "due work: {Holds} holds lapsed, {Lots} lots expired ({Points} points), {Loans} loans overdue")]
    private static partial void LogReport(ILogger logger, int holds, int lots, long points, int loans);
}
