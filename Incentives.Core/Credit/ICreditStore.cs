using Incentives.Storage;

namespace Incentives.Credit;

/// <summary>What credit needs from storage: records, the materialised current score, consent events, service hours
/// and eligibility decisions.</summary>
internal interface ICreditStore
{
    IDocumentTable<CreditRecordDoc, long> CreditRecords { get; }

    IDocumentTable<CreditAccountDoc, string> CreditAccounts { get; }

    IDocumentTable<ConsentEventDoc, long> Consents { get; }

    IDocumentTable<VolunteerHoursDoc, long> VolunteerHours { get; }

    IDocumentTable<EligibilityDoc, string> Eligibility { get; }

    /// <summary>A resident's credit records, oldest first.</summary>
    IReadOnlyList<CreditRecordDoc> CreditRecordsOf(string resident);

    CreditRecordDoc? CreditRecordOfEntry(long entry);

    /// <summary>The resident's last consent event at or before <paramref name="ticks"/>, or null.</summary>
    ConsentEventDoc? LatestConsent(string resident, long ticks);

    /// <summary>Every consent event of a resident, oldest first.</summary>
    IReadOnlyList<ConsentEventDoc> ConsentsOf(string resident);

    IReadOnlyList<VolunteerHoursDoc> HoursOf(string resident);
}
