namespace Incentives.Tests.Reliability;

/// <summary>Tests that start, kill and restart the service as a process run one at a time, alone: each start costs
/// seconds of CPU on 2 cores, and the crash test wants both while it kills.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ServiceProcesses
{
    public const string Name = "service processes";
}
