namespace Incentives.Api.Hosting;

/// <summary>Finds the rules folder: the one configured, else <c>rules/</c> here or in a parent folder (so the
/// service also starts from a subfolder of the repository, and in the test host).</summary>
internal static class RulesFolder
{
    public static string Find(string? configured)
    {
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "rules", "catalog.json")))
                {
                    return Path.Combine(dir.FullName, "rules");
                }
            }
        }

        return "rules";
    }
}
