using Incentives.Api.OpenApi;
using Incentives.Ledger;
using NodaTime;

namespace Incentives.Api.Endpoints;

/// <summary>Body of <c>POST /residents/{id}/card</c>: the card number to issue (1–3 capital letters and 4–10 digits,
/// e.g. <c>E10001</c>). The resident's previous card stops working.</summary>
/// <param name="CardNumber">The new card's number; unique.</param>
public sealed record CardBody(string CardNumber);

/// <summary>Body of <c>PUT /residents/{id}/status</c>.</summary>
/// <param name="Status"><c>active</c> or <c>inactive</c> (moved away: no new records, history kept).</param>
public sealed record ResidentStatusBody([property: OneOf(typeof(ResidentStatus))] string Status);

/// <summary>Response of <c>POST /residents/{id}/card</c> and <c>POST /residents/{id}/pin</c>: the PIN in clear, this
/// once. It is stored only as a slow salted hash and never logged; a lost PIN is reset, never read back.</summary>
/// <param name="ResidentId">The resident.</param>
/// <param name="CardNumber">The card.</param>
/// <param name="Pin">The new 6-digit PIN, shown once.</param>
/// <param name="ReplacedCard">The card that stopped working, if the resident had another.</param>
public sealed record CardIssuedView(string ResidentId, string CardNumber, string Pin, string? ReplacedCard);

/// <summary>A resident's kiosk card: <c>GET /residents/{id}/card</c>, <c>POST /residents/{id}/card/unlock</c>.</summary>
/// <param name="ResidentId">The resident.</param>
/// <param name="CardNumber">The card.</param>
/// <param name="Failures">Wrong PINs in a row so far.</param>
/// <param name="LockedUntil">Until when the card is locked after too many wrong PINs; null when it is not.</param>
public sealed record CardView(string ResidentId, string CardNumber, int Failures, Instant? LockedUntil);

/// <summary>Response of <c>PUT /residents/{id}/status</c>.</summary>
/// <param name="ResidentId">The resident.</param>
/// <param name="Status">The status now.</param>
public sealed record ResidentStatusView(string ResidentId, [property: OneOf(typeof(ResidentStatus))] string Status);

/// <summary>One problem of an import file.</summary>
/// <param name="Row">The spreadsheet row (the header is row 1).</param>
/// <param name="Column">The column's header as written in the file (or the expected one when it is missing).</param>
/// <param name="Message">In English.</param>
/// <param name="MessageZh">In Chinese.</param>
public sealed record ImportProblemView(int Row, string Column, string Message, string MessageZh);

/// <summary>A resident an import created (or would create).</summary>
/// <param name="Row">The spreadsheet row.</param>
/// <param name="ResidentId">The resident's id; null in a dry run.</param>
/// <param name="DisplayName">The name.</param>
/// <param name="CardNumber">The card, if the row had one.</param>
/// <param name="OpeningBalance">Points posted as an opening adjustment (0 when none).</param>
public sealed record ImportedResidentView(int Row, string? ResidentId, string DisplayName, string? CardNumber, long OpeningBalance);

/// <summary>A card an import issued, with its PIN for printing. The PIN is shown by the first import only: a re-upload
/// of the same file answers null (reset the PIN to get a new one).</summary>
/// <param name="CardNumber">The card.</param>
/// <param name="ResidentId">Its resident.</param>
/// <param name="DisplayName">The resident's name.</param>
/// <param name="Pin">The 6-digit PIN, or null when it was already shown.</param>
public sealed record ImportedCardView(string CardNumber, string ResidentId, string DisplayName, string? Pin);

/// <summary>Response of <c>POST /communities/{id}/imports</c>.</summary>
/// <param name="FileName">The uploaded file's name.</param>
/// <param name="Sha256">The file's SHA-256: the import's idempotency key.</param>
/// <param name="DryRun">True for a check that wrote nothing.</param>
/// <param name="Replayed">True when this file was imported before: nothing was written now.</param>
/// <param name="Rows">Data rows read (without the header).</param>
/// <param name="Problems">Every problem found; a real import happens only when there is none.</param>
/// <param name="Residents">The residents created (or, in a dry run, that would be).</param>
/// <param name="Cards">The cards issued with their PINs, for printing.</param>
/// <param name="PointsPosted">The sum of the opening balances.</param>
public sealed record ImportView(string FileName, string Sha256, bool DryRun, bool Replayed, int Rows, IReadOnlyList<ImportProblemView> Problems,
    IReadOnlyList<ImportedResidentView> Residents, IReadOnlyList<ImportedCardView> Cards, long PointsPosted);

/// <summary>Body of <c>PUT /residents/{id}/profile</c>: the resident's contact details, replaced as a whole (a field
/// left out or empty is cleared). At least one is required: erasing them all is <c>DELETE /residents/{id}/profile</c>.</summary>
/// <param name="Building">楼栋, e.g. <c>3号楼2单元</c>; at most 100 characters.</param>
/// <param name="Grid">网格, e.g. <c>第二网格</c>; at most 100 characters.</param>
/// <param name="Phone">A mainland mobile (11 digits starting with 1) or a landline (7–12 digits, one optional dash).</param>
public sealed record ResidentProfileBody(string? Building, string? Grid, string? Phone);

/// <summary>A resident's contact details: <c>GET</c> and <c>PUT /residents/{id}/profile</c>, to the admin and the staff
/// of the resident's community. The phone is in full here only; lists and exports mask it (138****1234).</summary>
/// <param name="ResidentId">The resident.</param>
/// <param name="Building">楼栋, or null.</param>
/// <param name="Grid">网格, or null.</param>
/// <param name="Phone">The phone in full, or null.</param>
/// <param name="UpdatedAt">When the details were last changed; null when none are kept.</param>
public sealed record ResidentProfileView(string ResidentId, string? Building, string? Grid, string? Phone, Instant? UpdatedAt);
