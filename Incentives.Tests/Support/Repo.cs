namespace Incentives.Tests.Support;

/// <summary>Paths in the repository the tests run from.</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Rules => Path.Combine(Root, "rules");

    /// <summary>A private copy of the repository's rules folder to plant mistakes in.</summary>
    public static string CopyRules()
    {
        var target = Path.Combine(Path.GetTempPath(), "incentives-rules-" + Guid.NewGuid().ToString("N"));
        foreach (var file in Directory.GetFiles(Rules, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(Rules, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        return target;
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Incentives.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root (Incentives.sln) not found");
    }
}
