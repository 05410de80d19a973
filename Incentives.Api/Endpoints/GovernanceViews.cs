using Incentives.Catalog;
using Incentives.Governance;
using Incentives.Ledger;
using NodaTime;

namespace Incentives.Api.Endpoints;

/// <summary>Maps the loop's values to their wire shapes.</summary>
internal static class GovernanceViews
{
    /// <param name="record">The record.</param>
    /// <param name="catalog">Where the indicator's names come from.</param>
    /// <param name="residentName">The resident's display name.</param>
    /// <param name="nameOf">Staff id → name, or null to hide who acted (a resident at a kiosk sees no staff).</param>
    /// <param name="engine">To tell residents (objectors) from staff in what a kiosk shows.</param>
    public static RecordView Of(GovernanceRecord record, CatalogSnapshot catalog, string residentName, Func<string, string?>? nameOf, IncentivesEngine engine)
    {
        var indicator = catalog.FindIndicator(record.Indicator);
        return new RecordView(record.Id, record.Resident.Value, residentName, record.Indicator.Value, indicator?.NameZh ?? record.Indicator.Value,
            indicator?.NameEn ?? record.Indicator.Value, record.Points, record.CreditDelta, Lower(record.Status), StatusZh(record.Status),
            nameOf is null ? null : record.SubmittedBy, nameOf?.Invoke(record.SubmittedBy), record.SubmittedAt, record.OccurredAt, record.NeedsApproval, record.NeedsPosting,
            record.PostingEndsAt, record.Entry?.Value, record.Decision.Explain(Language.Zh), record.Decision.Explain(Language.En),
            [.. record.Steps.Select(s => new StepView(Lower(s.Kind), s.At, nameOf is null && s.By != record.Resident.Value ? Hidden(s.By, engine) : s.By,
                nameOf?.Invoke(s.By), s.Reason, s.Entry?.Value))]);
    }

    /// <param name="a">The appeal.</param>
    /// <param name="now">To judge whether it is overdue.</param>
    /// <param name="residentName">The resident's display name.</param>
    /// <param name="nameOf">Staff id → name, or null at a kiosk.</param>
    public static AppealView Of(Appeal a, Instant now, string? residentName = null, Func<string, string?>? nameOf = null) =>
        new(a.Id, a.Resident.Value, a.Entry?.Value, a.CreditRecord, a.By, a.At, a.Reason, a.DueAt, a.IsOverdue(now), Lower(a.Status), a.DecidedBy, a.DecidedAt,
            a.DecisionReason, a.ReducedTo, a.DecisionEntry?.Value, residentName, nameOf?.Invoke(a.By), a.DecidedBy is { } d ? nameOf?.Invoke(d) : null);

    public static BoardItem Board(GovernanceRecord record, CatalogSnapshot catalog, string residentName, DateTimeZone zone, bool withId)
    {
        var indicator = catalog.FindIndicator(record.Indicator);
        var ends = record.PostingEndsAt!.Value;
        return new BoardItem(withId ? record.Id : null, Mask(residentName), record.Indicator.Value, indicator?.NameZh ?? record.Indicator.Value,
            indicator?.NameEn ?? record.Indicator.Value, record.Points, record.OccurredAt.InZone(zone).Date, ends, ends.InZone(zone).LocalDateTime,
            Lower(record.Status), StatusZh(record.Status));
    }

    /// <summary>张三 → 张*, 欧阳修 → 欧**: the surname's first character and a star for each other one.</summary>
    public static string Mask(string name)
    {
        var chars = System.Globalization.StringInfo.GetNextTextElementLength(name) is var first and > 0 ? name[..first] : string.Empty;
        var rest = Math.Max(1, new System.Globalization.StringInfo(name).LengthInTextElements - 1);
        return chars + new string('*', rest);
    }

    public static string StatusZh(RecordStatus status) => status switch
    {
        RecordStatus.Submitted => "待审核",
        RecordStatus.Pending => "公示中",
        RecordStatus.Objected => "有异议",
        RecordStatus.Confirmed => "已确认",
        RecordStatus.Rejected => "已驳回",
        _ => "已作废",
    };

    /// <summary>What a resident at a kiosk learns of a neighbour's record after objecting to it: what the board shows
    /// (masked name, indicator, points, dates, status), never the resident's id, full name, explanation or history.</summary>
    public static RecordView ForNeighbour(GovernanceRecord record, CatalogSnapshot catalog, string residentName)
    {
        var indicator = catalog.FindIndicator(record.Indicator);
        return new RecordView(record.Id, string.Empty, Mask(residentName), record.Indicator.Value, indicator?.NameZh ?? record.Indicator.Value,
            indicator?.NameEn ?? record.Indicator.Value, record.Points, record.CreditDelta, Lower(record.Status), StatusZh(record.Status), null, null, record.SubmittedAt,
            record.OccurredAt, record.NeedsApproval, record.NeedsPosting, record.PostingEndsAt, null, string.Empty, string.Empty, []);
    }

    // What a resident sees of who acted on their record: staff as "staff", the engine as "system", other residents
    // (objectors) as "resident" — never a person.
    private static string Hidden(string by, IncentivesEngine engine) =>
        by == LedgerHandlerActor ? by : ResidentId.TryParse(by, out var id) && engine.GetResident(id) is not null ? "resident" : "staff";

    private const string LedgerHandlerActor = "system";

    private static string Lower<T>(T value)
        where T : struct, Enum
    {
        var s = value.ToString();
        return char.ToLowerInvariant(s[0]) + s[1..];
    }
}
