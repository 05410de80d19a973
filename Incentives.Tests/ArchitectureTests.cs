using System.Text.RegularExpressions;
using Incentives.Tests.Support;

namespace Incentives.Tests;

public sealed partial class ArchitectureTests
{
    [Fact]
    public void Sources_UseNoAmbientClock_OutsideTheApiCompositionRoot()
    {
        var offenders = new List<string>();
        foreach (var project in new[] { "Incentives.Core", "Incentives.Api" })
        {
            foreach (var file in Directory.GetFiles(Path.Combine(Repo.Root, project), "*.cs", SearchOption.AllDirectories))
            {
                if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                {
                    continue;
                }

                var text = File.ReadAllText(file);
                var isCompositionRoot = file.EndsWith(Path.Combine("Incentives.Api", "Program.cs"), StringComparison.Ordinal);
                if (AmbientClock().IsMatch(text) || (!isCompositionRoot && text.Contains("SystemClock.Instance", StringComparison.Ordinal)))
                {
                    offenders.Add(Path.GetRelativePath(Repo.Root, file));
                }
            }
        }

        Assert.Empty(offenders);
    }

    [Fact]
    public void Core_OpensItsInternalsToTheTestsOnly_SoTheApiUsesThePublicSurface()
    {
        var friends = typeof(IncentivesEngine).Assembly
            .GetCustomAttributes(typeof(System.Runtime.CompilerServices.InternalsVisibleToAttribute), inherit: false)
            .Cast<System.Runtime.CompilerServices.InternalsVisibleToAttribute>()
            .Select(a => a.AssemblyName)
            .ToList();

        Assert.Equal(["Incentives.Tests"], friends);
    }

    [Fact]
    public void Core_TracksItsPublicSurface_AndBansTheAmbientClock()
    {
        // The analyzers fail the build on an untracked public symbol (RS0016) or a banned one (RS0030); this test keeps
        // them wired in.
        var core = File.ReadAllText(Path.Combine(Repo.Root, "Incentives.Core", "Incentives.Core.csproj"));
        var api = File.ReadAllText(Path.Combine(Repo.Root, "Incentives.Api", "Incentives.Api.csproj"));
        Assert.Contains("Microsoft.CodeAnalysis.PublicApiAnalyzers", core, StringComparison.Ordinal);
        Assert.Contains("Microsoft.CodeAnalysis.BannedApiAnalyzers", core, StringComparison.Ordinal);
        Assert.Contains("Microsoft.CodeAnalysis.BannedApiAnalyzers", api, StringComparison.Ordinal);
        Assert.Contains("IncentivesEngine.MaxEligibilityBatch", File.ReadAllText(Path.Combine(Repo.Root, "Incentives.Core", "PublicAPI.Unshipped.txt")), StringComparison.Ordinal);
        var banned = File.ReadAllText(Path.Combine(Repo.Root, "BannedSymbols.txt"));
        foreach (var symbol in new[] { "P:System.DateTime.Now", "P:System.DateTime.UtcNow", "P:System.DateTime.Today", "P:System.DateTimeOffset.Now", "P:System.DateTimeOffset.UtcNow", "P:NodaTime.SystemClock.Instance" })
        {
            Assert.Contains(symbol + ";", banned, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Core_NamesLiteDbOnlyInsideTheStoreAdapter()
    {
        var adapter = Path.Combine(Repo.Root, "Incentives.Core", "Storage", "LiteDb") + Path.DirectorySeparatorChar;
        var offenders = Directory.GetFiles(Path.Combine(Repo.Root, "Incentives.Core"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && !f.StartsWith(adapter, StringComparison.Ordinal))
            .Where(f => LiteDbType().IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(Repo.Root, f))
            .ToList();

        Assert.Empty(offenders);
    }

    // What 'grep -rn "ILiteCollection\|LiteDatabase" Incentives.Core' looks for, LiteDB's namespace (imported or
    // written out, e.g. LiteDB.LiteException) and its exception type. Comments may name LiteDB.
    [GeneratedRegex(@"ILiteCollection|LiteDatabase|ILiteQueryable|BsonDocument|BsonValue|BsonExpression|using LiteDB;|\bLiteDB\.[A-Z]|LiteException")]
    private static partial Regex LiteDbType();

    [GeneratedRegex(@"DateTime(Offset)?\.(Now|UtcNow|Today)")]
    private static partial Regex AmbientClock();
}
