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

    // What 'grep -rn "ILiteCollection\|LiteDatabase" Incentives.Core' looks for, and LiteDB's namespace itself.
    [GeneratedRegex(@"ILiteCollection|LiteDatabase|ILiteQueryable|BsonDocument|BsonValue|using LiteDB;")]
    private static partial Regex LiteDbType();

    [GeneratedRegex(@"DateTime(Offset)?\.(Now|UtcNow|Today)")]
    private static partial Regex AmbientClock();
}
