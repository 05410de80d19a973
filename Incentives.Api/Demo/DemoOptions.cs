namespace Incentives.Api.Demo;

/// <summary>Where the data folder is and whether a fresh one gets demo data.</summary>
/// <param name="DataDirectory">The data folder.</param>
/// <param name="Seed">True unless started with <c>--no-demo</c> (the setting <c>demo=false</c>).</param>
internal sealed record DemoOptions(string DataDirectory, bool Seed);
