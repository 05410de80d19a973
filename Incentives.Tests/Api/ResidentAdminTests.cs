using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Incentives.Ledger;
using Incentives.Tests.Support;
using MiniExcelLibs;

namespace Incentives.Tests.Api;

/// <summary>Issue 14: cards and PINs issued at the desk, status, and residents imported from a spreadsheet (idempotent by
/// the file's hash) — against the real API in the test host.</summary>
public sealed class ResidentAdminTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private int _n;

    [Fact]
    public async Task IssuedCard_SignsInWithTheReturnedPin_TheOldCardNoLonger_AndTheCardNumberFindsTheResident()
    {
        var resident = api.Resident(0, 3);
        var id = resident.GetProperty("id").GetString()!;
        var oldCard = resident.GetProperty("cardNumber").GetString()!;
        var oldPin = resident.GetProperty("pin").GetString()!;
        using var staff = api.As(api.Staff(0));

        var issued = await staff.PostAsJsonAsync($"/api/v1/residents/{id}/card", new { cardNumber = "Q20001" });
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        var view = await issued.Content.ReadFromJsonAsync<JsonElement>();
        var pin = view.GetProperty("pin").GetString()!;
        Assert.Matches("^[0-9]{6}$", pin);
        Assert.Equal(oldCard, view.GetProperty("replacedCard").GetString());
        Assert.DoesNotContain(api.Logs.Lines, l => l.Contains(pin, StringComparison.Ordinal) && l.Contains("Q20001", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.Created, (await SignIn("Q20001", pin)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignIn(oldCard, oldPin)).StatusCode);

        // The desk's search finds the holder by the exact card number; another community's staff does not.
        var found = await staff.GetFromJsonAsync<JsonElement>("/api/v1/communities/east/residents?q=Q20001");
        Assert.Equal(id, found[0].GetProperty("id").GetString());
        using var west = api.As(api.Staff(1));
        Assert.Equal(HttpStatusCode.Forbidden, (await west.PostAsJsonAsync($"/api/v1/residents/{id}/card", new { cardNumber = "Q20002" })).StatusCode);

        // A number held by someone else is refused without naming them; a malformed one names the field.
        var taken = await staff.PostAsJsonAsync($"/api/v1/residents/{api.Resident(0, 4).GetProperty("id").GetString()}/card", new { cardNumber = "Q20001" });
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        var problem = await taken.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("card-taken", problem.GetProperty("code").GetString());
        Assert.DoesNotContain(id, problem.GetRawText(), StringComparison.Ordinal);
        var bad = await (await staff.PostAsJsonAsync($"/api/v1/residents/{id}/card", new { cardNumber = "e1" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("cardNumber", bad.GetProperty("field").GetString());
        Assert.Contains("卡号", bad.GetProperty("messageZh").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PinReset_ReplacesThePin_UnlockEndsALockOut_AndStatusChanges()
    {
        var resident = api.Resident(0, 7);
        var id = resident.GetProperty("id").GetString()!;
        var card = resident.GetProperty("cardNumber").GetString()!;
        var oldPin = resident.GetProperty("pin").GetString()!;
        using var staff = api.As(api.Staff(0));

        var reset = await (await staff.PostAsync($"/api/v1/residents/{id}/pin", null)).Content.ReadFromJsonAsync<JsonElement>();
        var pin = reset.GetProperty("pin").GetString()!;
        Assert.Equal(card, reset.GetProperty("cardNumber").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignIn(card, oldPin == pin ? "000000" : oldPin)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SignIn(card, pin)).StatusCode);

        var wrong = pin == "999999" ? "888888" : "999999";
        for (var i = 0; i < 5; i++)
        {
            await SignIn(card, wrong);
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await SignIn(card, pin)).StatusCode);
        var locked = await staff.GetFromJsonAsync<JsonElement>($"/api/v1/residents/{id}/card");
        Assert.NotEqual(JsonValueKind.Null, locked.GetProperty("lockedUntil").ValueKind);
        var unlocked = await staff.PostAsync($"/api/v1/residents/{id}/card/unlock", null);
        Assert.Equal(HttpStatusCode.OK, unlocked.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await unlocked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("lockedUntil").ValueKind);
        Assert.Equal(HttpStatusCode.Created, (await SignIn(card, pin)).StatusCode);

        var inactive = await staff.PutAsJsonAsync($"/api/v1/residents/{id}/status", new { status = "inactive" });
        Assert.Equal("inactive", (await inactive.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(ResidentStatus.Inactive, api.Engine.GetResident(new ResidentId(id))!.Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await staff.PutAsJsonAsync($"/api/v1/residents/{id}/status", new { status = "gone" })).StatusCode);
        await staff.PutAsJsonAsync($"/api/v1/residents/{id}/status", new { status = "active" });
        Assert.Equal(ResidentStatus.Active, api.Engine.GetResident(new ResidentId(id))!.Status);
    }

    [Fact]
    public async Task Csv_With3PlantedErrors_DryRunNamesExactlyThoseRowsAndColumns_ImportIsRefused_FixedFileImports200_AndAgainChangesNothing()
    {
        var broken = Csv(Sheet("C", "110105", plant: true));
        var fixedFile = Csv(Sheet("C", "110105", plant: false));
        var residentsBefore = Count();
        var digestBefore = api.Engine.Digest();

        var dry = await Upload(broken, "residents.csv", dryRun: true);
        Assert.Equal(HttpStatusCode.OK, dry.Status);
        var problems = dry.Body.GetProperty("problems").EnumerateArray().Select(p => (p.GetProperty("row").GetInt32(), p.GetProperty("column").GetString())).ToList();
        Assert.Equal([(12, "身份证号"), (52, "姓名"), (152, "期初积分")], problems);
        Assert.All(dry.Body.GetProperty("problems").EnumerateArray(), p => Assert.False(string.IsNullOrEmpty(p.GetProperty("messageZh").GetString())));

        var refused = await Upload(broken, "residents.csv", dryRun: false);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.Status);
        Assert.Equal(3, refused.Body.GetProperty("problems").GetArrayLength());
        Assert.Equal(residentsBefore, Count());
        Assert.Equal(digestBefore, api.Engine.Digest());

        var cleanDry = await Upload(fixedFile, "residents.csv", dryRun: true);
        Assert.Equal(0, cleanDry.Body.GetProperty("problems").GetArrayLength());
        Assert.Equal(residentsBefore, Count());

        var imported = await Upload(fixedFile, "residents.csv", dryRun: false);
        Assert.Equal(HttpStatusCode.Created, imported.Status);
        Assert.Equal(residentsBefore + 200, Count());
        var first = imported.Body.GetProperty("residents")[0];
        Assert.Equal(2, first.GetProperty("row").GetInt32());
        var firstId = new ResidentId(first.GetProperty("residentId").GetString()!);
        Assert.Equal(Balance(0), api.Engine.GetBalance(firstId)!.Available);
        Assert.Equal(Enumerable.Range(0, 200).Sum(Balance), imported.Body.GetProperty("pointsPosted").GetInt64());
        var card = imported.Body.GetProperty("cards")[5];
        Assert.Equal(HttpStatusCode.Created, (await SignIn(card.GetProperty("cardNumber").GetString()!, card.GetProperty("pin").GetString()!)).StatusCode);

        var residentsAfter = Count();
        var digestAfter = api.Engine.Digest();
        var again = await Upload(fixedFile, "residents-copy.csv", dryRun: false);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.True(again.Body.GetProperty("replayed").GetBoolean());
        Assert.Equal(200, again.Body.GetProperty("residents").GetArrayLength());
        Assert.All(again.Body.GetProperty("cards").EnumerateArray(), c => Assert.Equal(JsonValueKind.Null, c.GetProperty("pin").ValueKind));
        Assert.Equal(residentsAfter, Count());
        Assert.Equal(digestAfter, api.Engine.Digest());

        // The export lists them (without ID numbers), as CSV and as XLSX.
        using var staff = api.As(api.Staff(0));
        var csv = await staff.GetStringAsync("/api/v1/communities/east/residents/export?format=csv");
        Assert.Contains("导入居民C0", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("110105", csv, StringComparison.Ordinal);
        var xlsx = await staff.GetByteArrayAsync("/api/v1/communities/east/residents/export?format=xlsx");
        using var stream = new MemoryStream(xlsx);
        Assert.Equal(residentsAfter, MiniExcel.Query(stream, useHeaderRow: true, excelType: ExcelType.XLSX).Count());
    }

    [Fact]
    public async Task Xlsx_With3PlantedErrors_DryRunNamesThem_FixedFileImports200_AndAgainChangesNothing()
    {
        var broken = Xlsx(Sheet("X", "310105", plant: true));
        var fixedFile = Xlsx(Sheet("X", "310105", plant: false));
        var dry = await Upload(broken, "residents.xlsx", dryRun: true);
        Assert.Equal([(12, "身份证号"), (52, "姓名"), (152, "期初积分")],
            dry.Body.GetProperty("problems").EnumerateArray().Select(p => (p.GetProperty("row").GetInt32(), p.GetProperty("column").GetString())).ToList());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await Upload(broken, "residents.xlsx", dryRun: false)).Status);

        var before = Count();
        Assert.Equal(HttpStatusCode.Created, (await Upload(fixedFile, "residents.xlsx", dryRun: false)).Status);
        Assert.Equal(before + 200, Count());
        var digest = api.Engine.Digest();
        Assert.True((await Upload(fixedFile, "residents.xlsx", dryRun: false)).Body.GetProperty("replayed").GetBoolean());
        Assert.Equal(before + 200, Count());
        Assert.Equal(digest, api.Engine.Digest());
    }

    [Fact]
    public async Task Import_RefusesWhatIsNotASpreadsheet_AndStaffOfAnotherCommunity()
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await Upload(Encoding.UTF8.GetBytes("x"), "residents.txt", dryRun: true)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Upload(Encoding.UTF8.GetBytes("PK\u0003\u0004garbage"), "residents.xlsx", dryRun: true)).Status);
        using var west = api.As(api.Staff(1));
        using var content = Form(Encoding.UTF8.GetBytes("姓名\n张三\n"), "a.csv");
        Assert.Equal(HttpStatusCode.Forbidden, (await west.PostAsync("/api/v1/communities/east/imports?dryRun=true", content)).StatusCode);
        using var staff = api.As(api.Staff(0));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await staff.PostAsJsonAsync("/api/v1/communities/east/imports", new { file = "x" })).StatusCode);
    }

    [Fact]
    public async Task Registration_KeepsBuildingGridAndPhone_TheProfileShowsThemInFull_TheExportMasksThePhone_AndAPutCorrectsOrErasesThem()
    {
        using var staff = api.As(api.Staff(0));
        var registered = await Register(staff, new { displayName = "联系居民", building = "3号楼2单元", grid = "第二网格", phone = "138 1234 5678" });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var id = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var profile = await staff.GetFromJsonAsync<JsonElement>($"/api/v1/residents/{id}/profile");
        Assert.Equal(("3号楼2单元", "第二网格", "13812345678"),
            (profile.GetProperty("building").GetString(), profile.GetProperty("grid").GetString(), profile.GetProperty("phone").GetString()));
        Assert.Equal(api.Clock.GetCurrentInstant(), NodaTime.Text.InstantPattern.ExtendedIso.Parse(profile.GetProperty("updatedAt").GetString()!).Value);

        // A list shows the phone masked; the full number is in the resident's own profile only.
        var csv = await staff.GetStringAsync("/api/v1/communities/east/residents/export?format=csv");
        var line = csv.Split('\n').Single(l => l.StartsWith(id + ",", StringComparison.Ordinal));
        Assert.Contains("3号楼2单元,第二网格,138****5678", line, StringComparison.Ordinal);
        Assert.DoesNotContain("13812345678", csv, StringComparison.Ordinal);

        // Another community's staff and a kiosk see none of it.
        using var west = api.As(api.Staff(1));
        Assert.Equal(HttpStatusCode.Forbidden, (await west.GetAsync($"/api/v1/residents/{id}/profile")).StatusCode);
        using var kiosk = api.As(api.Kiosk(0));
        Assert.Equal(HttpStatusCode.Forbidden, (await kiosk.GetAsync($"/api/v1/residents/{id}/profile")).StatusCode);

        // Deactivating keeps the profile (staff may need to reach them); a PUT corrects it, an empty one is refused (it
        // would erase by accident), a DELETE erases it.
        await staff.PutAsJsonAsync($"/api/v1/residents/{id}/status", new { status = "inactive" });
        var corrected = await staff.PutAsJsonAsync($"/api/v1/residents/{id}/profile", new { building = "5号楼", grid = (string?)null, phone = "0631-5201234" });
        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);
        var after = await staff.GetFromJsonAsync<JsonElement>($"/api/v1/residents/{id}/profile");
        Assert.Equal(("5号楼", JsonValueKind.Null, "0631-5201234"), (after.GetProperty("building").GetString(), after.GetProperty("grid").ValueKind, after.GetProperty("phone").GetString()));
        var empty = await staff.PutAsJsonAsync($"/api/v1/residents/{id}/profile", new { building = " ", grid = (string?)null, phone = "" });
        Assert.Equal("building", (await ProblemAssert.IsProblemAsync(empty, 400)).GetProperty("field").GetString());
        Assert.Equal("5号楼", (await staff.GetFromJsonAsync<JsonElement>($"/api/v1/residents/{id}/profile")).GetProperty("building").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await staff.DeleteAsync($"/api/v1/residents/{id}/profile")).StatusCode);
        Assert.Equal("联系居民", api.Engine.GetResident(new ResidentId(id))!.DisplayName);
        var erased = await staff.GetFromJsonAsync<JsonElement>($"/api/v1/residents/{id}/profile");
        Assert.Equal(JsonValueKind.Null, erased.GetProperty("building").ValueKind);
        Assert.Equal(JsonValueKind.Null, erased.GetProperty("updatedAt").ValueKind);
    }

    [Fact]
    public async Task ARetiredCardNumber_CanBeIssuedAgain_AndTheExportStillWorks()
    {
        // A replaced card is kept with an empty resident, which LiteDB reads back as null.
        var first = api.Resident(0, 12).GetProperty("id").GetString()!;
        var second = api.Resident(0, 13).GetProperty("id").GetString()!;
        using var staff = api.As(api.Staff(0));
        Assert.Equal(HttpStatusCode.OK, (await staff.PostAsJsonAsync($"/api/v1/residents/{first}/card", new { cardNumber = "R30001" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await staff.PostAsJsonAsync($"/api/v1/residents/{first}/card", new { cardNumber = "R30002" })).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync("/api/v1/communities/east/residents/export?format=csv")).StatusCode);
        var again = await staff.PostAsJsonAsync($"/api/v1/residents/{second}/card", new { cardNumber = "R30001" });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Theory]
    [InlineData("12345")] // too short for anything
    [InlineData("1381234567")] // a mobile with a digit missing: not taken for a landline
    [InlineData("138123456789")] // and one too many
    [InlineData("0631--5201234")]
    [InlineData("138-1234-5678")]
    [InlineData("电话13812345678")]
    public async Task ABadPhone_Is400NamingPhoneInChinese_AndRegistersNobody_NorChangesAProfile(string phone)
    {
        using var staff = api.As(api.Staff(0));
        var before = Count();
        var refused = await Register(staff, new { displayName = "号码有误", building = "1号楼", phone });
        var problem = await ProblemAssert.IsProblemAsync(refused, 400, "invalid-argument");
        Assert.Equal("phone", problem.GetProperty("field").GetString());
        Assert.Contains("电话", problem.GetProperty("messageZh").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, Count());

        var id = api.Resident(0, 9).GetProperty("id").GetString()!;
        await staff.PutAsJsonAsync($"/api/v1/residents/{id}/profile", new { building = "9号楼", grid = (string?)null, phone = "13900001111" });
        var put = await staff.PutAsJsonAsync($"/api/v1/residents/{id}/profile", new { building = "另一栋", grid = (string?)null, phone });
        Assert.Equal("phone", (await ProblemAssert.IsProblemAsync(put, 400)).GetProperty("field").GetString());
        Assert.Equal("9号楼", (await staff.GetFromJsonAsync<JsonElement>($"/api/v1/residents/{id}/profile")).GetProperty("building").GetString());
    }

    [Fact]
    public async Task Import_StoresBuildingGridAndPhone_ExportWritesThem_AndABadPhoneIsAProblemOfItsRowAndColumn()
    {
        var rows = Enumerable.Range(0, 3).Select(i => new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["姓名"] = $"楼栋居民{i}",
            ["楼栋"] = $"{7 + i}号楼",
            ["网格"] = i == 1 ? null : "第三网格",
            ["电话"] = i == 2 ? "0631-5207000" : $"1390000700{i}",
        }).ToList();
        var bad = rows.Select(r => new Dictionary<string, object?>(r, StringComparer.Ordinal)).ToList();
        bad[1]["电话"] = "139000070";

        var dry = await Upload(Csv(bad), "contacts.csv", dryRun: true);
        Assert.Equal([(3, "电话")], dry.Body.GetProperty("problems").EnumerateArray().Select(p => (p.GetProperty("row").GetInt32(), p.GetProperty("column").GetString())).ToList());

        var imported = await Upload(Xlsx(rows), "contacts.xlsx", dryRun: false);
        Assert.Equal(HttpStatusCode.Created, imported.Status);
        var ids = imported.Body.GetProperty("residents").EnumerateArray().Select(r => r.GetProperty("residentId").GetString()!).ToList();
        using var staff = api.As(api.Staff(0));
        var profiles = new List<(string?, string?, string?)>();
        foreach (var id in ids)
        {
            var p = await staff.GetFromJsonAsync<JsonElement>($"/api/v1/residents/{id}/profile");
            profiles.Add((p.GetProperty("building").GetString(), p.GetProperty("grid").GetString(), p.GetProperty("phone").GetString()));
        }

        Assert.Equal([("7号楼", "第三网格", "13900007000"), ("8号楼", null, "13900007001"), ("9号楼", "第三网格", "0631-5207000")], profiles);

        var xlsx = await staff.GetByteArrayAsync("/api/v1/communities/east/residents/export?format=xlsx");
        using var stream = new MemoryStream(xlsx);
        var byId = MiniExcel.Query(stream, useHeaderRow: true, excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>()
            .Where(r => r["居民编号"] is string id && ids.Contains(id)).ToDictionary(r => (string)r["居民编号"]!, StringComparer.Ordinal);
        var exported = ids.Select(id => (byId[id]["楼栋"] as string, byId[id]["网格"] as string, byId[id]["电话"] as string)).ToList();
        Assert.Equal([("7号楼", "第三网格", "139****7000"), ("8号楼", null, "139****7001"), ("9号楼", "第三网格", "********7000")], exported);
    }

    /// <summary>200 rows: name, card, ID number, birth year, building, opening balance; with <paramref name="plant"/>
    /// a bad ID check character on row 12, no name on row 52 and a negative balance on row 152.</summary>
    internal static List<Dictionary<string, object?>> Sheet(string prefix, string area, bool plant) =>
        [.. Enumerable.Range(0, 200).Select(i => new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["姓名"] = plant && i == 50 ? null : $"导入居民{prefix}{i}",
            ["卡号"] = $"{prefix}{70000 + i}",
            ["身份证号"] = plant && i == 10 ? Broken(IdNumber(area, i)) : IdNumber(area, i),
            ["出生年份"] = 1950 + (i % 50),
            ["楼栋"] = $"{1 + (i % 9)}号楼",
            ["期初积分"] = plant && i == 150 ? -5 : Balance(i),
        })];

    internal static byte[] Csv(List<Dictionary<string, object?>> rows)
    {
        var text = new StringBuilder(string.Join(',', rows[0].Keys)).Append('\n');
        foreach (var row in rows)
        {
            text.Append(string.Join(',', row.Values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)))).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    internal static byte[] Xlsx(List<Dictionary<string, object?>> rows)
    {
        using var stream = new MemoryStream();
        // ID numbers as text: 18 digits do not survive as a number.
        stream.SaveAs(rows.Select(r => r.ToDictionary(x => x.Key, x => x.Key == "身份证号" ? x.Value : x.Value, StringComparer.Ordinal)), excelType: ExcelType.XLSX);
        return stream.ToArray();
    }

    internal static string IdNumber(string area, int i)
    {
        var body = area + "1980" + "0101" + (100 + i).ToString("D3", CultureInfo.InvariantCulture);
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var sum = body.Select((c, k) => (c - '0') * weights[k]).Sum();
        return body + "10X98765432"[sum % 11];
    }

    private static string Broken(string id) => id[..17] + (id[17] == '0' ? '1' : '0');

    private static long Balance(int i) => i % 7 * 10;

    private int Count() => api.Engine.ListResidents(new CommunityId("east")).Count;

    private static MultipartFormDataContent Form(byte[] file, string name)
    {
        var content = new MultipartFormDataContent();
        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue(name.EndsWith(".xlsx", StringComparison.Ordinal) ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv");
        content.Add(part, "file", name);
        return content;
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> Upload(byte[] file, string name, bool dryRun)
    {
        using var staff = api.As(api.Staff(0));
        using var content = Form(file, name);
        using var response = await staff.PostAsync($"/api/v1/communities/east/imports?dryRun={(dryRun ? "true" : "false")}", content);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static async Task<HttpResponseMessage> Register(HttpClient staff, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/communities/east/residents") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", "profile-" + Guid.NewGuid().ToString("N"));
        return await staff.SendAsync(request);
    }

    private async Task<HttpResponseMessage> SignIn(string card, string pin)
    {
        using var kiosk = api.As(api.Kiosk(0));
        _ = Interlocked.Increment(ref _n);
        return await kiosk.PostAsJsonAsync("/api/v1/kiosk/sessions", new { cardNumber = card, pin });
    }
}
