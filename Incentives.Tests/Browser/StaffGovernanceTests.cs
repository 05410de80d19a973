using System.Text.Json;
using Microsoft.Playwright;

namespace Incentives.Tests.Browser;

[CollectionDefinition("staff-governance-browser")]
public sealed class StaffGovernanceBrowserGroup : ICollectionFixture<BrowserHost>;

/// <summary>The staff desk's 审核, 公示栏 and 复核 sections (docs/pages.md) in headless Chromium against the real service
/// with its demo data, signed in with the demo staff accounts of <c>east</c> (recorder, reviewer, manager).</summary>
[Collection("staff-governance-browser")]
public sealed class StaffGovernanceTests(BrowserHost host) : IDisposable
{
    private const int Width = 1366, Height = 900;
    private const string Zone = "Asia/Shanghai";
    private const int Recorder = 0, Reviewer = 1, Manager = 2;

    private readonly HttpClient _admin = new();

    public void Dispose() => _admin.Dispose();

    [SkippableFact]
    public async Task RecordedAward_WaitsInApprovals_TheRecorderCannotApprove_TheReviewerCannotApproveTheirOwn_AndApprovingPostsIt()
    {
        BrowserHost.RequireChromium();
        var residentId = host.Resident(16).GetProperty("id").GetString()!;

        // The recorder records a GOV-02 award (10 points: needs a second person and a posting) through the desk's form.
        var recorder = await SignedIn(Recorder);
        await recorder.ClickAsync("nav [data-view=record]");
        await recorder.FillAsync("#award-resident", residentId);
        await recorder.SelectOptionAsync("#award-category", "GOV");
        await recorder.SelectOptionAsync("#award-indicator", "GOV-02");
        await recorder.FillAsync("#award-quantity", "1");
        await Assertions.Expect(recorder.Locator("#preview")).ToContainTextAsync("GOV-02");
        await recorder.ClickAsync("#award-save");
        await Assertions.Expect(recorder.Locator("#saved")).ToContainTextAsync("待审核");

        var submitted = await Admin<JsonElement>("/api/v1/communities/east/records?status=submitted");
        var record = submitted.EnumerateArray().Single(r => r.GetProperty("residentId").GetString() == residentId && r.GetProperty("indicator").GetString() == "GOV-02");
        var recordId = record.GetProperty("id").GetInt64();
        Assert.Equal(StaffId(Recorder), record.GetProperty("submittedBy").GetString());

        // In 审核 the recorder sees the queue, with the focus on its heading, but no approve button …
        await recorder.ClickAsync("nav [data-view=approvals]");
        await Assertions.Expect(recorder.Locator("#approvals-title")).ToBeFocusedAsync();
        await Assertions.Expect(recorder.Locator("nav [data-view=approvals]")).ToHaveAttributeAsync("aria-current", "page");
        var recorderItem = recorder.Locator($"#approval-queue li[data-record='{recordId}']");
        await Assertions.Expect(recorderItem).ToContainTextAsync("+10 加分");
        await Assertions.Expect(recorderItem).ToContainTextAsync("本人提交");
        await Assertions.Expect(recorderItem.Locator("button.approve")).ToHaveCountAsync(0);
        // … and the API refuses the recorder's approval of their own record in Chinese (the role is checked first).
        var refused = await recorder.APIRequest.PostAsync($"/api/v1/records/{recordId}/approval", new() { Headers = Key() });
        Assert.Equal(403, refused.Status);
        Assert.Contains("审核员角色", (await refused.JsonAsync())!.Value.GetProperty("messageZh").GetString(), StringComparison.Ordinal);

        // The reviewer submits one of their own (through the API with the reviewer's session): 通过 on it is refused as self-approval.
        var reviewer = await SignedIn(Reviewer);
        var own = await reviewer.APIRequest.PostAsync("/api/v1/awards", new()
        {
            Headers = Key(),
            DataObject = new { residentId = host.Resident(17).GetProperty("id").GetString(), indicator = "GOV-02", quantity = 1 },
        });
        Assert.True(own.Ok, await own.TextAsync());
        var ownId = (await own.JsonAsync())!.Value.GetProperty("recordId").GetInt64();

        await reviewer.ClickAsync("nav [data-view=approvals]");
        var queue = reviewer.Locator("#approval-queue > li");
        await Assertions.Expect(reviewer.Locator($"#approval-queue li[data-record='{recordId}']")).ToBeVisibleAsync();
        var order = await queue.EvaluateAllAsync<long[]>("items => items.map(i => Number(i.dataset.record))");
        Assert.Equal(order.Order(), order); // oldest first: record ids grow with submission
        await reviewer.Locator($"#approval-queue li[data-record='{ownId}'] button.approve").ClickAsync();
        await Assertions.Expect(reviewer.Locator("#approvals-message")).ToContainTextAsync("不能审核自己提交的记录");
        await Assertions.Expect(reviewer.Locator("#approvals-message")).ToHaveClassAsync("error");
        await reviewer.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("staff-approvals.png"), FullPage = true });

        // The reviewer approves the recorder's record: it leaves the queue and is posted (公示中) on the board.
        await reviewer.Locator($"#approval-queue li[data-record='{recordId}'] button.approve").ClickAsync();
        await Assertions.Expect(reviewer.Locator("#approvals-message")).ToContainTextAsync($"记录 {recordId} 已审核通过");
        await Assertions.Expect(reviewer.Locator($"#approval-queue li[data-record='{recordId}']")).ToHaveCountAsync(0);
        await Assertions.Expect(reviewer.Locator($"#approval-queue li[data-record='{ownId}']")).ToBeVisibleAsync();

        await reviewer.ClickAsync("nav [data-view=postings]");
        await Assertions.Expect(reviewer.Locator("#postings-title")).ToBeFocusedAsync();
        var posted = reviewer.Locator($"#posting-list li[data-record='{recordId}']");
        await Assertions.Expect(posted).ToHaveAttributeAsync("data-status", "pending");
        await Assertions.Expect(posted.Locator(".status")).ToHaveTextAsync("公示中");
        await Assertions.Expect(posted.Locator(".ends")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^公示截止 \d{4}-\d{2}-\d{2} \d{2}:\d{2}$"));
        await Assertions.Expect(posted.Locator("button.object")).ToBeVisibleAsync();
        // A reviewer decides nothing: no 确认/作废 on objected records.
        await Assertions.Expect(reviewer.Locator("#posting-list form.decision")).ToHaveCountAsync(0);
        await reviewer.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("staff-postings.png"), FullPage = true });

        var after = await Admin<JsonElement>($"/api/v1/records/{recordId}");
        Assert.Equal("pending", after.GetProperty("status").GetString());
        var approval = after.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("kind").GetString() == "approved");
        Assert.Equal(StaffId(Reviewer), approval.GetProperty("by").GetString());
        Assert.Equal("submitted", (await Admin<JsonElement>($"/api/v1/records/{ownId}")).GetProperty("status").GetString());
    }

    [SkippableFact]
    public async Task Manager_VoidsTheObjectedDemoRecordWithAReason_ItShowsInRecentDecisions_AndUpholdsTheOpenAppeal()
    {
        BrowserHost.RequireChromium();
        var objected = (await Admin<JsonElement>("/api/v1/communities/east/records?status=objected")).EnumerateArray()
            .Single(r => r.GetProperty("residentId").GetString() == "east-011");
        var recordId = objected.GetProperty("id").GetInt64();
        var manager = await SignedIn(Manager);
        var managerName = host.Keys.GetProperty("communities")[0].GetProperty("staff")[Manager].GetProperty("name").GetString()!;

        await manager.ClickAsync("nav [data-view=postings]");
        var item = manager.Locator($"#posting-list li[data-record='{recordId}']");
        await Assertions.Expect(item.Locator(".status")).ToHaveTextAsync("有异议");
        await Assertions.Expect(item.Locator(".objections")).ToContainTextAsync("本月楼栋长由他人代理, 请核实");
        await item.Locator("form.decision input.reason").FillAsync("经核实本月由他人代理, 作废");
        await item.Locator("form.decision button.void").ClickAsync();

        await Assertions.Expect(manager.Locator("#postings-message")).ToContainTextAsync($"记录 {recordId}: 已作废");
        await Assertions.Expect(item).ToHaveCountAsync(0);
        var decision = manager.Locator($"#decision-list li[data-record='{recordId}']");
        await Assertions.Expect(decision).ToHaveAttributeAsync("data-status", "voided");
        await Assertions.Expect(decision).ToContainTextAsync("作废");
        await Assertions.Expect(decision).ToContainTextAsync("经核实本月由他人代理, 作废");
        await Assertions.Expect(decision).ToContainTextAsync(managerName);

        var voided = await Admin<JsonElement>($"/api/v1/records/{recordId}");
        Assert.Equal("voided", voided.GetProperty("status").GetString());
        var last = voided.GetProperty("steps").EnumerateArray().Last();
        Assert.Equal(("voided", StaffId(Manager), "经核实本月由他人代理, 作废"),
            (last.GetProperty("kind").GetString(), last.GetProperty("by").GetString(), last.GetProperty("reason").GetString()));

        // 复核: the demo's open appeal (east-007), with its due date and the manager's decision form.
        var appeal = (await Admin<JsonElement>("/api/v1/communities/east/appeals")).EnumerateArray().Single(a => a.GetProperty("residentId").GetString() == "east-007");
        var appealId = appeal.GetProperty("id").GetInt64();
        var due = TimeZoneInfo.ConvertTime(appeal.GetProperty("dueAt").GetDateTimeOffset(), TimeZoneInfo.FindSystemTimeZoneById(Zone))
            .ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        await manager.ClickAsync("nav [data-view=appeals]");
        await Assertions.Expect(manager.Locator("#appeals-title")).ToBeFocusedAsync();
        var open = manager.Locator($"#open-appeals li[data-appeal='{appealId}']");
        await Assertions.Expect(open).ToContainTextAsync($"答复期限 {due}");
        await Assertions.Expect(open).ToContainTextAsync("车辆临时停靠卸货");
        await Assertions.Expect(manager.Locator("#decided-appeals li[data-status=reduced]")).ToContainTextAsync("减为 2 分");
        await Assertions.Expect(manager.Locator("#credit-tools")).ToBeVisibleAsync();
        await open.Locator("form.decision input.reason").FillAsync("经查看监控, 确属占用消防通道");
        await manager.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("staff-appeals.png"), FullPage = true });
        await open.Locator("form.decision button.upheld").ClickAsync();

        await Assertions.Expect(manager.Locator("#appeals-message")).ToContainTextAsync($"复核 {appealId}: 维持原决定");
        await Assertions.Expect(open).ToHaveCountAsync(0);
        await Assertions.Expect(manager.Locator($"#decided-appeals li[data-appeal='{appealId}']")).ToContainTextAsync("维持原决定");
        var decided = (await Admin<JsonElement>("/api/v1/communities/east/appeals?open=false")).EnumerateArray().Single(a => a.GetProperty("id").GetInt64() == appealId);
        Assert.Equal(("upheld", StaffId(Manager), "经查看监控, 确属占用消防通道"),
            (decided.GetProperty("status").GetString(), decided.GetProperty("decidedBy").GetString(), decided.GetProperty("decisionReason").GetString()));
    }

    [SkippableFact]
    public async Task Reviewer_SeesTheAppealsButNoDecisionFormsOrCreditRecordForms()
    {
        BrowserHost.RequireChromium();
        var reviewer = await SignedIn(Reviewer);
        await reviewer.ClickAsync("nav [data-view=appeals]");
        await Assertions.Expect(reviewer.Locator("#decided-appeals li[data-status=reduced]")).ToContainTextAsync("已减轻");
        await Assertions.Expect(reviewer.Locator("#appeals-role")).ToContainTextAsync("审核员");
        await Assertions.Expect(reviewer.Locator("#open-appeals form.decision")).ToHaveCountAsync(0);
        await Assertions.Expect(reviewer.Locator("#credit-tools")).ToBeHiddenAsync();
        await Assertions.Expect(reviewer.Locator("#appeal-form")).ToBeVisibleAsync();

        // In English the lists are drawn again from the same data, with no Chinese label left.
        await reviewer.ClickAsync("#lang");
        await Assertions.Expect(reviewer.Locator("#appeals-title")).ToHaveTextAsync("Appeals");
        await Assertions.Expect(reviewer.Locator("#decided-appeals li[data-status=reduced] .status")).ToHaveTextAsync("reduced");
        await Assertions.Expect(reviewer.Locator("#appeals-role")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^[^\u4e00-\u9fff]+$"));
    }

    [SkippableFact]
    public async Task Manager_CreditRecordForm_ShowsWhatTheApiAnswers_SavedOrItsRefusal()
    {
        BrowserHost.RequireChromium();
        var manager = await SignedIn(Manager);
        await manager.ClickAsync("nav [data-view=appeals]");
        var form = manager.Locator("#credit-manual");
        await form.Locator("#cm-resident").FillAsync(host.Resident(20).GetProperty("id").GetString()!);
        await form.Locator("#cm-delta").FillAsync("-5");
        await form.Locator("#cm-reason").FillAsync("占用公共通道 (浏览器测试)");
        await form.Locator("#cm-document").FillAsync("D-7");
        var answered = manager.WaitForResponseAsync(r => r.Url.EndsWith("/credit-records", StringComparison.Ordinal) && r.Request.Method == "POST");
        await form.Locator("button[type=submit]").ClickAsync();
        var response = await answered;

        var result = form.Locator(".result");
        if (response.Ok)
        {
            await Assertions.Expect(result).ToContainTextAsync("已保存");
        }
        else
        {
            // Today the route is admin-only: the manager sees the API's own Chinese message.
            var problem = (await response.JsonAsync())!.Value;
            await Assertions.Expect(result).ToHaveTextAsync(problem.GetProperty("messageZh").GetString()!);
            await Assertions.Expect(result).ToHaveClassAsync("result error");
        }
    }

    private string StaffId(int role) => host.Keys.GetProperty("communities")[0].GetProperty("staff")[role].GetProperty("id").GetString()!;

    private static Dictionary<string, string> Key() => new() { ["Idempotency-Key"] = Guid.NewGuid().ToString() };

    private Task<IPage> SignedIn(int role) => host.DeskSignedIn(role, Width, Height);

    private async Task<T> Admin<T>(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(host.BaseUrl), path));
        request.Headers.Add("X-Api-Key", host.Keys.GetProperty("admin").GetString());
        using var response = await _admin.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonSerializer.Deserialize<T>(text)!;
    }
}
