using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Incentives.Api.Idempotency;
using Incentives.Api.OpenApi;
using Incentives.Api.Security;
using Incentives.Ledger;
using Microsoft.AspNetCore.Http.HttpResults;
using MiniExcelLibs;
using NodaTime;

namespace Incentives.Api.Endpoints;

/// <summary>
/// Residents administration at the desk (issue 14, docs/residents.md): issue or replace a kiosk card, reset a PIN,
/// unlock a card, activate or deactivate a resident, read and correct their contact details (building, grid, phone; kept in
/// api.db, not the ledger), and import residents with opening balances and contact details from a spreadsheet
/// (idempotent by the file's SHA-256) or export them. New PINs are 6 random digits made here, answered once, stored
/// only as a slow salted hash and never logged; so the routes that answer one take no Idempotency-Key (a stored answer
/// would keep the PIN in clear).
/// </summary>
internal static class ResidentAdminEndpoints
{
    /// <summary>Import files: the service's request limit (1 MiB, <see cref="Hosting.RequestLimits.MaxBody"/>).</summary>
    public const long MaxFile = Hosting.RequestLimits.MaxBody;

    private const string CsvType = "text/csv";
    private const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    private const string PinShownOnce = "the answer carries a new PIN shown once: it must not be stored, and a retry issues another PIN, which replaces this one";

    // One import at a time: a second upload of the same file waits, then finds the first one done.
    private static readonly SemaphoreSlim ImportGate = new(1, 1);

    private static readonly JsonSerializerOptions StoredJson = new(JsonSerializerDefaults.Web);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/residents/{id}/card", Results<Ok<CardView>, ProblemHttpResult> (string id, HttpContext http, Guard guard, ApiStore store, IClock clock) =>
        {
            var (resident, problem) = guard.Resident(http.Caller(), id, "card");
            if (problem is not null)
            {
                return problem;
            }

            return CardOf(store, resident!.Id.Value) is { } card ? TypedResults.Ok(View(card, clock)) : NoCard(id);
        }).Allow(Role.Admin, Role.Staff).ProducesProblems(403, 404, 503).WithTags("Residents");

        api.MapPost("/residents/{id}/card", IssueCard).Allow(Role.Admin, Role.Staff).Idempotency(IdempotencyPolicy.Exempt, PinShownOnce)
            .ProducesProblems(403, 404, 409, 503).WithTags("Residents");

        api.MapPost("/residents/{id}/pin", Results<Ok<CardIssuedView>, ProblemHttpResult> (string id, HttpContext http, Guard guard, ApiStore store) =>
        {
            var (resident, problem) = guard.Resident(http.Caller(), id, "pin reset", read: false);
            if (problem is not null)
            {
                return problem;
            }

            var (pin, hash) = NewPin();
            var card = store.Write(() =>
            {
                if (store.Cards.FindOne(c => c.Resident == resident!.Id.Value) is not { } c)
                {
                    return null;
                }

                // A new PIN also ends a lock-out: the resident is at the desk in person.
                c.PinHash = hash;
                c.Failures = 0;
                c.LockedUntil = 0;
                store.Cards.Update(c);
                return c.Id;
            });
            return card is null ? NoCard(id) : TypedResults.Ok(new CardIssuedView(id, card, pin, null));
        }).Allow(Role.Admin, Role.Staff).Idempotency(IdempotencyPolicy.Exempt, PinShownOnce).ProducesProblems(403, 404, 503).WithTags("Residents");

        api.MapPost("/residents/{id}/card/unlock", Results<Ok<CardView>, ProblemHttpResult> (string id, HttpContext http, Guard guard, ApiStore store, IClock clock) =>
        {
            var (resident, problem) = guard.Resident(http.Caller(), id, "card unlock", read: false);
            if (problem is not null)
            {
                return problem;
            }

            var card = store.Write(() =>
            {
                if (store.Cards.FindOne(c => c.Resident == resident!.Id.Value) is not { } c)
                {
                    return null;
                }

                c.Failures = 0;
                c.LockedUntil = 0;
                store.Cards.Update(c);
                return c;
            });
            return card is null ? NoCard(id) : TypedResults.Ok(View(card, clock));
        }).Allow(Role.Admin, Role.Staff).Idempotency(IdempotencyPolicy.Honoured).ProducesProblems(403, 404, 503, 507).WithTags("Residents");

        api.MapPut("/residents/{id}/status", async Task<Results<Ok<ResidentStatusView>, ProblemHttpResult>> (string id, ResidentStatusBody body, HttpContext http,
            IncentivesEngine e, Guard guard) =>
        {
            if (!Parse.Enum<ResidentStatus>(body.Status, out var status))
            {
                return Problems.BadRequest("status", "status is active or inactive", "状态须为 active (在册) 或 inactive (停用)");
            }

            var (resident, problem) = guard.Resident(http.Caller(), id, "status", read: false);
            if (problem is not null)
            {
                return problem;
            }

            var result = await e.SetResidentStatusAsync(resident!.Id, status);
            return result.Value is { } r
                ? TypedResults.Ok(new ResidentStatusView(r.Id.Value, r.Status.ToString().ToLowerInvariant()))
                : Problems.From(result.Refusal!);
        }).Allow(Role.Admin, Role.Staff).Idempotency(IdempotencyPolicy.Honoured).ProducesProblems(403, 404, 503, 507).WithTags("Residents");

        ResidentProfileEndpoints.Map(api);

        api.MapPost("/communities/{id}/imports", Import).Allow(Role.Admin, Role.Staff)
            .Idempotency(IdempotencyPolicy.Exempt, "idempotent by the file's SHA-256: a re-upload answers the first import and writes nothing; the answer carries PINs shown once")
            .Accepts<ImportForm>("multipart/form-data").DisableAntiforgery()
            .ProducesProblems(403, 404, 409, 413, 415, 422, 503, 507).WithTags("Residents");

        api.MapGet("/communities/{id}/residents/export", Results<FileContentHttpResult, ProblemHttpResult> (string id, [OneOf("csv", "xlsx")] string? format,
            HttpContext http, IncentivesEngine e, ApiStore store, IClock clock) =>
        {
            if (format is not (null or "csv" or "xlsx"))
            {
                return Problems.BadRequest("format", "format is csv or xlsx", "格式 (format) 须为 csv 或 xlsx");
            }

            if (CommunityProblem(http.Caller(), id, e) is { } problem)
            {
                return problem;
            }

            var residents = e.ListResidents(new CommunityId(id));
            // A retired card's empty resident comes back from LiteDB as null (it stores empty strings as null).
            var cards = store.Read(() => store.Cards.FindAll().Where(c => !string.IsNullOrEmpty(c.Resident)).ToList())
                .GroupBy(c => c.Resident, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Id, StringComparer.Ordinal);
            var profiles = ResidentProfiles.OfCommunity(store, id);
            var now = clock.GetCurrentInstant();
            var rows = residents.Select(r =>
            {
                store.LogAccess(http.Caller(), r.Id.Value, "export", now);
                var profile = profiles.GetValueOrDefault(r.Id.Value);
                return (IDictionary<string, object?>)new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["居民编号"] = r.Id.Value,
                    ["姓名"] = r.DisplayName,
                    ["卡号"] = cards.GetValueOrDefault(r.Id.Value),
                    ["出生年份"] = r.BirthYear,
                    ["楼栋"] = profile?.Building,
                    ["网格"] = profile?.Grid,
                    // A list: the phone masked, as every list shows it; in full only in the resident's own profile.
                    ["电话"] = ResidentProfiles.Mask(profile?.Phone),
                    ["积分余额"] = e.GetBalance(r.Id)?.Available ?? 0,
                    ["状态"] = r.Status.ToString().ToLowerInvariant(),
                };
            }).ToList();
            using var output = new MemoryStream();
            var xlsx = format == "xlsx";
            if (xlsx)
            {
                output.SaveAs(rows, excelType: ExcelType.XLSX);
            }
            else
            {
                // UTF-8 with a BOM, so Excel opens the Chinese as Chinese.
                output.Write(Encoding.UTF8.GetPreamble());
                output.SaveAs(rows, excelType: ExcelType.CSV);
            }

            return TypedResults.File(output.ToArray(), xlsx ? XlsxType : CsvType, $"residents-{id}.{(xlsx ? "xlsx" : "csv")}");
        }).Allow(Role.Admin, Role.Staff).Produces<byte[]>(StatusCodes.Status200OK, CsvType, XlsxType).ProducesProblems(403, 404, 503).WithTags("Residents");
    }

    /// <summary>Makes a PIN and its hash (the slow hash before any lock is taken).</summary>
    public static (string Pin, string Hash) NewPin()
    {
        var pin = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        return (pin, Secrets.HashPin(pin));
    }

    /// <summary>Gives the resident this card with this PIN hash, under the store's write lock. The resident's other card
    /// is retired: kept with no resident, so the kiosk treats it as an unknown number (and a sign-in under way on it
    /// still finds its document), and its number may be issued again.</summary>
    /// <returns>False when another resident holds the number; else the card retired, if any.</returns>
    public static (bool Issued, string? Replaced) Give(ApiStore store, string resident, string cardNumber, string pinHash) => store.Write(() =>
    {
        // A retired card reads back with a null resident (LiteDB stores empty strings as null): free to issue again.
        if (store.Cards.FindById(cardNumber) is { } held && !string.IsNullOrEmpty(held.Resident) && held.Resident != resident)
        {
            return (false, (string?)null);
        }

        string? replaced = null;
        foreach (var old in store.Cards.Find(c => c.Resident == resident).Where(c => c.Id != cardNumber).ToList())
        {
            old.Resident = string.Empty;
            old.PinHash = string.Empty;
            store.Cards.Update(old);
            replaced = old.Id;
        }

        store.Cards.Upsert(new CardDoc { Id = cardNumber, Resident = resident, PinHash = pinHash });
        return (true, replaced);
    });

    private static Results<Ok<CardIssuedView>, ProblemHttpResult> IssueCard(string id, CardBody body, HttpContext http, Guard guard, ApiStore store)
    {
        var number = body.CardNumber?.Trim() ?? string.Empty;
        if (!ResidentSheet.CardPattern().IsMatch(number))
        {
            return Problems.BadRequest("cardNumber", "a card number is 1–3 capital letters and 4–10 digits, e.g. E10001", "卡号 (cardNumber) 格式有误: 1–3 个大写字母加 4–10 位数字, 如 E10001");
        }

        var (resident, problem) = guard.Resident(http.Caller(), id, "card", read: false);
        if (problem is not null)
        {
            return problem;
        }

        if (resident!.Status != ResidentStatus.Active)
        {
            return Problems.Conflict("residentId", "resident-inactive", "this resident is inactive: activate them before issuing a card", "该居民已停用, 请先恢复在册再发卡");
        }

        var (pin, hash) = NewPin();
        var (issued, replaced) = Give(store, resident.Id.Value, number, hash);
        return issued
            ? TypedResults.Ok(new CardIssuedView(id, number, pin, replaced))
            : Problems.Conflict("cardNumber", "card-taken", "this card number is already in use", "卡号 (cardNumber) 已被使用");
    }

    private static async Task<Results<Ok<ImportView>, Created<ImportView>, ProblemHttpResult>> Import(string id, bool? dryRun, HttpContext http,
        IncentivesEngine e, ApiStore store, Secrets secrets, IClock clock)
    {
        var caller = http.Caller();
        if (CommunityProblem(caller, id, e) is { } refused)
        {
            return refused;
        }

        if (!http.Request.HasFormContentType)
        {
            return Problems.Make(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type",
                "send the spreadsheet as multipart/form-data in the field 'file'", "请以 multipart/form-data 上传, 文件字段名为 file", "file");
        }

        IFormFile? file;
        try
        {
            file = (await http.Request.ReadFormAsync(http.RequestAborted)).Files.GetFile("file");
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
        {
            return ex is BadHttpRequestException { StatusCode: 413 } ? TooLarge() : Problems.BadRequest("file", "the multipart body cannot be read", "上传内容无法读取 (file)");
        }

        if (file is null || file.Length == 0)
        {
            return Problems.BadRequest("file", "a spreadsheet (.xlsx or .csv) is required in the field 'file'", "请选择要导入的表格文件 (file): .xlsx 或 .csv");
        }

        if (file.Length > MaxFile)
        {
            return TooLarge();
        }

        var name = Path.GetFileName(file.FileName ?? string.Empty);
        var extension = Path.GetExtension(name).ToLowerInvariant();
        if (extension is not (".xlsx" or ".csv") || name.Length > Limits.Name)
        {
            return Problems.BadRequest("file", "the file is a .xlsx or .csv spreadsheet with a name of at most 100 characters", "文件 (file) 须为 .xlsx 或 .csv 表格, 文件名不超过 100 个字符");
        }

        var bytes = new byte[file.Length];
        await using (var input = file.OpenReadStream())
        {
            await input.ReadExactlyAsync(bytes, http.RequestAborted);
        }

        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var importId = id + ":" + sha;
        if (Done(store, importId) is { } before)
        {
            return TypedResults.Ok(before with { DryRun = dryRun ?? true, Replayed = true });
        }

        var community = e.GetCommunities().Single(c => c.Id.Value == id);
        var thisYear = clock.GetCurrentInstant().InZone(community.TimeZone).Year;
        using var sheet = new MemoryStream(bytes, writable: false);
        var (rows, problems) = ResidentSheet.Read(sheet, extension == ".xlsx", thisYear,
            card => store.FindCard(card) is { Resident.Length: > 0 },
            idNumber => store.ResidentOfIdNumber(secrets.HashIdNumber(idNumber)) is not null);
        if (rows is null)
        {
            return Problems.BadRequest("file", $"'{name}' cannot be read as a {extension} spreadsheet", $"文件 '{name}' 无法按 {extension} 表格读取");
        }

        var planned = rows.Select(r => new ImportedResidentView(r.Row, null, r.Name, r.CardNumber, r.OpeningBalance)).ToList();
        if (dryRun ?? true)
        {
            return TypedResults.Ok(new ImportView(name, sha, true, false, rows.Count + problems.Select(p => p.Row).Where(r => r > 1).Distinct().Count(), problems, planned, [],
                rows.Sum(r => r.OpeningBalance)));
        }

        if (problems.Count > 0)
        {
            var refusal = Problems.Make(StatusCodes.Status422UnprocessableEntity, "import-has-problems",
                $"nothing was imported: the file has {problems.Count} problem(s), listed in 'problems' with their row and column",
                $"未导入任何数据: 文件有 {problems.Count} 处问题, 见 problems (行号与列名)", "file");
            refusal.ProblemDetails.Extensions["problems"] = problems;
            return refusal;
        }

        await ImportGate.WaitAsync(http.RequestAborted);
        try
        {
            if (Done(store, importId) is { } done)
            {
                return TypedResults.Ok(done with { DryRun = false, Replayed = true });
            }

            return await Apply(id, name, sha, rows, caller, e, store, secrets, clock);
        }
        finally
        {
            ImportGate.Release();
        }
    }

    // Every write is keyed by the file's hash and the row, so an import cut short (a crash, a refusal) is completed by
    // uploading the same file again, without a second resident or a second balance.
    private static async Task<Results<Ok<ImportView>, Created<ImportView>, ProblemHttpResult>> Apply(string id, string name, string sha, List<ImportRow> rows, Caller caller,
        IncentivesEngine e, ApiStore store, Secrets secrets, IClock clock)
    {
        // The slow PIN hashes first, in parallel and outside any lock.
        var pins = new (string Pin, string Hash)[rows.Count];
        Parallel.For(0, rows.Count, i => pins[i] = rows[i].CardNumber is null ? default : NewPin());
        var created = new List<ImportedResidentView>();
        var cards = new List<ImportedCardView>();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var key = $"import:{id}:{sha}:{row.Row}";
            var registered = await e.RegisterResidentAsync(new CommunityId(id), row.Name, null, key, row.BirthYear);
            if (registered.Value is not { } resident)
            {
                return RowRefused(row, registered.Refusal!);
            }

            if (row.OpeningBalance > 0)
            {
                var posted = await e.AdjustAsync(new AdjustmentRequest(resident.Id, row.OpeningBalance, $"期初积分 (导入 {name} 第 {row.Row} 行)", caller.KeyId, key + ":opening"));
                if (posted.Value is null)
                {
                    return RowRefused(row, posted.Refusal!);
                }
            }

            if (row.CardNumber is { } card)
            {
                if (!Give(store, resident.Id.Value, card, pins[i].Hash).Issued)
                {
                    return Problems.Conflict("file", "card-taken", $"row {row.Row}: card {card} was taken meanwhile; the rows before it are imported, upload the file again once it is fixed",
                        $"第 {row.Row} 行: 卡号 {card} 刚被占用; 之前的行已导入, 修正后重新上传");
                }

                cards.Add(new ImportedCardView(card, resident.Id.Value, resident.DisplayName, pins[i].Pin));
            }

            if (row.IdNumber is { } idNumber)
            {
                var hash = secrets.HashIdNumber(idNumber);
                store.Write(() => store.IdNumbers.Upsert(new IdNumberDoc { Id = hash, Resident = resident.Id.Value }));
            }

            if (row.Building is not null || row.Grid is not null || row.Phone is not null)
            {
                ResidentProfiles.Save(store, resident.Id.Value, id, (row.Building, row.Grid, row.Phone), caller.KeyId, clock.GetCurrentInstant(), onlyIfAbsent: true);
            }

            created.Add(new ImportedResidentView(row.Row, resident.Id.Value, resident.DisplayName, row.CardNumber, row.OpeningBalance));
        }

        var view = new ImportView(name, sha, false, false, rows.Count, [], created, cards, rows.Sum(r => r.OpeningBalance));
        var stored = view with { Cards = [.. cards.Select(c => c with { Pin = null })] };
        store.Write(() => store.Imports.Upsert(new ImportDoc
        {
            Id = id + ":" + sha,
            Community = id,
            FileName = name,
            By = caller.KeyId,
            At = clock.GetCurrentInstant().ToUnixTimeTicks(),
            Result = JsonSerializer.Serialize(stored, StoredJson),
        }));
        return TypedResults.Created($"/api/v1/communities/{id}/imports/{sha}", view);
    }

    private static ImportView? Done(ApiStore store, string importId) =>
        store.Read(() => store.Imports.FindById(importId)) is { } doc ? JsonSerializer.Deserialize<ImportView>(doc.Result, StoredJson) : null;

    private static ProblemHttpResult RowRefused(ImportRow row, Rules.Refusal refusal)
    {
        var problem = Problems.From(refusal);
        problem.ProblemDetails.Detail = $"row {row.Row}: {refusal.Message}; the rows before it are imported: upload the same file again to finish";
        problem.ProblemDetails.Extensions["messageZh"] = $"第 {row.Row} 行: {refusal.MessageZh}; 之前的行已导入, 重新上传同一文件即可继续";
        return problem;
    }

    private static ProblemHttpResult? CommunityProblem(Caller caller, string id, IncentivesEngine e) =>
        Guard.Community(caller, id) ?? (!CommunityId.TryParse(id, out _) || !e.GetCommunities().Any(c => c.Id.Value == id)
            ? Problems.NotFound("id", $"no community '{id}'", $"社区 '{id}' 不存在")
            : null);

    private static ProblemHttpResult TooLarge() =>
        Problems.Make(StatusCodes.Status413PayloadTooLarge, "payload-too-large", $"the file is larger than {MaxFile / 1024} KiB: split it",
            $"文件超过 {MaxFile / 1024} KiB, 请拆分后上传", "file");

    private static CardDoc? CardOf(ApiStore store, string resident) => store.Read(() => store.Cards.FindOne(c => c.Resident == resident));

    private static CardView View(CardDoc card, IClock clock)
    {
        var until = Instant.FromUnixTimeTicks(card.LockedUntil);
        return new CardView(card.Resident, card.Id, card.Failures, until > clock.GetCurrentInstant() ? until : null);
    }

    private static ProblemHttpResult NoCard(string id) =>
        Problems.NotFound("cardNumber", $"resident '{id}' has no kiosk card: issue one", $"居民 '{id}' 尚无卡: 请先发卡");
}

/// <summary>The form of <c>POST /communities/{id}/imports</c>: the spreadsheet in the field <c>file</c>.</summary>
/// <param name="File">A .xlsx or .csv file (UTF-8), at most 1 MiB, its first row the column headers.</param>
public sealed record ImportForm(IFormFile File);
