namespace Incentives.Catalog.Loading;

/// <summary>Reads the governance settings: the catalog's <c>governance</c> section and an indicator's overrides.</summary>
internal static class GovernanceReader
{
    /// <summary>The section's properties, for the strict-object check.</summary>
    public static readonly string[] Properties = ["approval", "posting", "postingDays", "staffDailyBudget", "appealDays", "appealDecisionDays"];

    public static GovernancePolicy? ReadPolicy(ObjectReader catalog)
    {
        if (catalog.Object("governance", false, Properties) is not { } g)
        {
            return null;
        }

        var approval = ReadRule(g, "approval") ?? ReviewRule.None;
        var posting = ReadRule(g, "posting") ?? ReviewRule.None;
        var days = Days(g, "postingDays", 3, 1, 30);
        var budget = g.Integer("staffDailyBudget");
        if (budget is <= 0)
        {
            g.Report(DiagnosticCodes.OutOfRange, "staffDailyBudget", $"'staffDailyBudget' must be a positive number of points, found {budget}");
        }

        return new GovernancePolicy(approval, posting, days, budget, Days(g, "appealDays", 7, 1, 90), Days(g, "appealDecisionDays", 15, 1, 90));
    }

    /// <summary><c>"none"</c>, <c>"always"</c> or <c>{ "atOrAbove": N }</c>; null when absent or wrong (reported).</summary>
    public static ReviewRule? ReadRule(ObjectReader r, string name)
    {
        switch (r.Node(name))
        {
            case null:
                return null;
            case JsonStringNode { Value: "none" }:
                return ReviewRule.None;
            case JsonStringNode { Value: "always" }:
                return new ReviewRule(ReviewMode.Always);
            case JsonObjectNode:
                var o = r.Object(name, false, "atOrAbove")!;
                var threshold = o.Integer("atOrAbove", required: true);
                if (threshold is < 1)
                {
                    o.Report(DiagnosticCodes.OutOfRange, "atOrAbove", $"'{name}.atOrAbove' must be at least 1, found {threshold}");
                    return null;
                }

                return threshold is null ? null : new ReviewRule(ReviewMode.AtOrAbove, threshold.Value);
            case var other:
                r.Report(DiagnosticCodes.OutOfRange, name, $"'{name}' must be \"none\", \"always\" or {{ \"atOrAbove\": N }}, found {Describe(other)}");
                return null;
        }
    }

    public static int Days(ObjectReader r, string name, int fallback, int min, int max)
    {
        var value = r.Integer(name);
        if (value is not null && (value < min || value > max))
        {
            r.Report(DiagnosticCodes.OutOfRange, name, $"'{name}' must be {min}–{max} days, found {value}");
            return fallback;
        }

        return (int)(value ?? fallback);
    }

    private static string Describe(JsonNode node) => node is JsonStringNode s ? $"\"{s.Value}\"" : node.KindName;
}
