using System.Text.RegularExpressions;
using Incentives.Api.Endpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace Incentives.Api.Security;

/// <summary>A resident's contact details (issue 14): building (楼栋), grid (网格) and phone, in <c>api.db</c>
/// (<see cref="ApiStore.ResidentProfiles"/>), by resident id. Kept out of the hash-chained ledger on purpose: contact
/// data must be correctable and erasable, and the append-only journal can do neither (docs/residents.md).</summary>
internal sealed class ResidentProfileDoc
{
    /// <summary>The resident's id.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>The resident's community: the export reads a community's profiles by it.</summary>
    public string Community { get; set; } = string.Empty;

    public string? Building { get; set; }

    public string? Grid { get; set; }

    /// <summary>As validated by <see cref="ResidentProfiles.Check"/>: digits and at most one dash.</summary>
    public string? Phone { get; set; }

    /// <summary>Unix ticks of the last change.</summary>
    public long UpdatedAt { get; set; }

    /// <summary>The key id (or staff member) who made the last change.</summary>
    public string UpdatedBy { get; set; } = string.Empty;
}

/// <summary>Checks, stores and shows residents' contact details (<see cref="ResidentProfileDoc"/>). Every read and
/// write goes through <see cref="ApiStore.Read{T}"/> and <see cref="ApiStore.Write{T}"/>.</summary>
internal static partial class ResidentProfiles
{
    /// <summary>Building and grid: as long as a name.</summary>
    public const int MaxText = Limits.Name;

    /// <summary>Phone numbers as typed (digits, one dash, spaces).</summary>
    public const int MaxPhone = 20;

    /// <summary>Checks and normalises the three fields: trimmed, empty as null, the phone without spaces. A mainland
    /// mobile is 11 digits starting with 1; a landline is 7–12 digits with at most one dash (0631-5201234) and does not
    /// start with 1 — so a mobile with a digit missing or extra is caught instead of stored as a "landline".</summary>
    /// <returns>The normalised values, or the 400 naming the field.</returns>
    public static ((string? Building, string? Grid, string? Phone) Value, ProblemHttpResult? Problem) Check(string? building, string? grid, string? phone)
    {
        var b = Clean(building);
        var g = Clean(grid);
        var p = Clean(phone)?.Replace(" ", string.Empty, StringComparison.Ordinal);
        if (b?.Length > MaxText)
        {
            return (default, Problems.BadRequest("building", $"the building is at most {MaxText} characters", $"楼栋 (building) 不超过 {MaxText} 个字符"));
        }

        if (g?.Length > MaxText)
        {
            return (default, Problems.BadRequest("grid", $"the grid is at most {MaxText} characters", $"网格 (grid) 不超过 {MaxText} 个字符"));
        }

        if (p is not null && PhoneProblem(p) is { } bad)
        {
            return (default, Problems.BadRequest("phone", bad.Message, bad.MessageZh));
        }

        return ((b, g, p), null);
    }

    /// <summary>Why a phone number (already without spaces) is not one; null when it is.</summary>
    public static (string Message, string MessageZh)? PhoneProblem(string phone) =>
        phone.Length <= MaxPhone && (Mobile().IsMatch(phone) || Landline().IsMatch(phone) && phone.Count(char.IsAsciiDigit) is >= 7 and <= 12)
            ? null
            : ("a phone is a mobile of 11 digits starting with 1 (13812341234) or a landline of 7–12 digits with an optional dash (0631-5201234)",
                "电话 (phone) 格式有误: 手机号为 1 开头的 11 位数字, 座机为 7–12 位数字, 可带一个 '-' (如 0631-5201234)");

    /// <summary>The phone as lists show it: a mobile as 138****1234, anything else with all but its last 4 characters
    /// starred. The full number is shown only in the resident's own profile.</summary>
    public static string? Mask(string? phone) => phone switch
    {
        null => null,
        { Length: 11 } when Mobile().IsMatch(phone) => string.Concat(phone.AsSpan(0, 3), "****", phone.AsSpan(7)),
        { Length: > 4 } => new string('*', phone.Length - 4) + phone[^4..],
        _ => new string('*', phone.Length),
    };

    public static ResidentProfileDoc? Of(ApiStore store, string resident) => store.Read(() => store.ResidentProfiles.FindById(resident));

    /// <summary>The community's profiles by resident id (one query for a whole export).</summary>
    public static Dictionary<string, ResidentProfileDoc> OfCommunity(ApiStore store, string community) =>
        store.Read(() => store.ResidentProfiles.Find(p => p.Community == community).ToDictionary(p => p.Id, StringComparer.Ordinal));

    /// <summary>Replaces the resident's profile; all three empty erase it (no empty document is kept).
    /// With <paramref name="onlyIfAbsent"/>, an existing profile is left as it is: an import finished by a second
    /// upload must not undo a correction made at the desk in between.</summary>
    /// <returns>The profile as stored; null when there is none.</returns>
    public static ResidentProfileDoc? Save(ApiStore store, string resident, string community, (string? Building, string? Grid, string? Phone) value, string by, Instant at,
        bool onlyIfAbsent = false) => store.Write(() =>
    {
        if (onlyIfAbsent && store.ResidentProfiles.FindById(resident) is { } existing)
        {
            return existing;
        }

        if (value is (null, null, null))
        {
            store.ResidentProfiles.Delete(resident);
            return null;
        }

        var doc = new ResidentProfileDoc
        {
            Id = resident,
            Community = community,
            Building = value.Building,
            Grid = value.Grid,
            Phone = value.Phone,
            UpdatedAt = at.ToUnixTimeTicks(),
            UpdatedBy = by,
        };
        store.ResidentProfiles.Upsert(doc);
        return doc;
    });

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    [GeneratedRegex("^1[0-9]{10}$")]
    private static partial Regex Mobile();

    [GeneratedRegex("^[02-9][0-9]*(-[0-9]+)?$")]
    private static partial Regex Landline();
}
