using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NodaTime;

namespace Incentives.Tests.Api;

/// <summary>Issue 13, part 1: staff accounts, their sessions (cookie, idle and absolute timeouts, lock-out) and that a
/// record made in a member's session names the member. In the test host with its fake clock, so timeouts are exact
/// and no test sleeps.</summary>
public sealed class StaffAccountTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const string Password = "correct-horse-1";

    // Static: xUnit makes a new instance per test, and the fixture (with its accounts) outlives them.
    private static int _n;

    [Fact]
    public async Task AnAwardRecordedInAMembersSession_NamesTheMemberOnTheStatement_ButNotAtTheKiosk()
    {
        var id = await CreateAsync("recorder", "王芳");
        var cookie = await SignInAsync(id, Password);

        using var award = await SendAsync(HttpMethod.Post, "/api/v1/awards", cookie, new { residentId = "east-004", indicator = "GOV-01", quantity = 1 }, Key());
        Assert.Equal(HttpStatusCode.Created, award.StatusCode);
        var entryId = (await award.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("entryId").GetInt64();

        using var statement = await SendAsync(HttpMethod.Get, "/api/v1/residents/east-004/statement?pageSize=500", cookie);
        var line = (await statement.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray().Single(x => x.GetProperty("entryId").GetInt64() == entryId);
        Assert.Equal(id, line.GetProperty("recordedBy").GetString());
        Assert.Equal("王芳", line.GetProperty("recordedByName").GetString());

        // Residents do not see staff names (or ids).
        var session = await api.SignIn(0, 3);
        using var kiosk = api.As(api.Kiosk(0), session);
        var own = await kiosk.GetFromJsonAsync<JsonElement>("/api/v1/residents/east-004/statement?pageSize=500");
        var ownLine = own.GetProperty("items").EnumerateArray().Single(x => x.GetProperty("entryId").GetInt64() == entryId);
        Assert.Equal(JsonValueKind.Null, ownLine.GetProperty("recordedBy").ValueKind);
        Assert.Equal(JsonValueKind.Null, ownLine.GetProperty("recordedByName").ValueKind);
    }

    [Fact]
    public async Task IdempotencyKeys_AreScopedPerPerson()
    {
        var first = await SignInAsync(await CreateAsync("recorder", "甲"), Password);
        var second = await SignInAsync(await CreateAsync("recorder", "乙"), Password);
        var key = Key();

        // Were keys shared, the second (another resident under the same key) would be a 409 conflict.
        using var a = await SendAsync(HttpMethod.Post, "/api/v1/awards", first, new { residentId = "east-006", indicator = "GOV-01", quantity = 1 }, key);
        using var b = await SendAsync(HttpMethod.Post, "/api/v1/awards", second, new { residentId = "east-007", indicator = "GOV-01", quantity = 1 }, key);

        Assert.Equal(HttpStatusCode.Created, a.StatusCode);
        Assert.Equal(HttpStatusCode.Created, b.StatusCode);
        Assert.Equal("false", b.Headers.GetValues("Idempotent-Replayed").Single());
    }

    [Fact]
    public async Task FiveWrongPasswords_LockTheAccount_TheRightOneIsRefusedWhileLocked_AndAcceptedAfterFifteenMinutes()
    {
        var id = await CreateAsync("recorder", "李娜");
        var codes = new List<(int, string?)>();
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await SendAsync(HttpMethod.Post, "/api/v1/staff-sessions", null, new { id, password = "wrong-password-" + i });
            codes.Add(((int)wrong.StatusCode, (await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()));
        }

        using var locked = await SendAsync(HttpMethod.Post, "/api/v1/staff-sessions", null, new { id, password = Password });
        var problem = await locked.Content.ReadFromJsonAsync<JsonElement>();
        api.Clock.Advance(Duration.FromMinutes(15));
        using var after = await SendAsync(HttpMethod.Post, "/api/v1/staff-sessions", null, new { id, password = Password });

        Assert.Equal([.. Enumerable.Repeat((401, (string?)"wrong-staff-id-or-password"), 4), (401, "account-locked")], codes);
        Assert.Equal(HttpStatusCode.Forbidden, locked.StatusCode);
        Assert.Equal("account-locked", problem.GetProperty("code").GetString());
        Assert.Contains("15 分钟", problem.GetProperty("messageZh").GetString(), StringComparison.Ordinal);
        Assert.True(problem.TryGetProperty("lockedUntil", out _));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task AnUnknownId_AnswersAsAWrongPassword_AndLocksAlike()
    {
        var id = await CreateAsync("recorder", "赵六");
        using var wrong = await SendAsync(HttpMethod.Post, "/api/v1/staff-sessions", null, new { id, password = "wrong-password" });
        using var unknown = await SendAsync(HttpMethod.Post, "/api/v1/staff-sessions", null, new { id = "nobody-" + Key(), password = "wrong-password" });
        var w = await wrong.Content.ReadFromJsonAsync<JsonElement>();
        var u = await unknown.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(wrong.StatusCode, unknown.StatusCode);
        Assert.Equal(w.GetProperty("code").GetString(), u.GetProperty("code").GetString());
        Assert.Equal(w.GetProperty("detail").GetString(), u.GetProperty("detail").GetString());
        Assert.Equal(w.GetProperty("messageZh").GetString(), u.GetProperty("messageZh").GetString());
    }

    [Fact]
    public async Task TheSession_EndsAfterTwentyIdleMinutes_EachRequestRenewsIt_AndTwelveHoursEndItAnyway()
    {
        var cookie = await SignInAsync(await CreateAsync("reviewer", "陈静"), Password);
        var idle = await SignInAsync(await CreateAsync("reviewer", "杨帆"), Password);

        // Sliding: a request every 19 minutes keeps the session.
        for (var i = 0; i < 3; i++)
        {
            api.Clock.Advance(Duration.FromMinutes(19));
            using var current = await SendAsync(HttpMethod.Get, "/api/v1/staff-sessions/current", cookie);
            Assert.Equal(HttpStatusCode.OK, current.StatusCode);
        }

        // The other was idle for 57 minutes.
        using var expired = await SendAsync(HttpMethod.Get, "/api/v1/staff-sessions/current", idle);
        var problem = await expired.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Equal("登录已超时, 请重新登录", problem.GetProperty("messageZh").GetString());
        Assert.Contains(expired.Headers.GetValues("Set-Cookie"), c => c.StartsWith("incentives_staff=;", StringComparison.Ordinal));

        // Twelve hours after sign-in the session ends, however busy.
        var busy = HttpStatusCode.OK;
        for (var minutes = 57; minutes < 12 * 60 + 19 && busy == HttpStatusCode.OK; minutes += 19)
        {
            api.Clock.Advance(Duration.FromMinutes(19));
            using var current = await SendAsync(HttpMethod.Get, "/api/v1/staff-sessions/current", cookie);
            busy = current.StatusCode;
            Assert.True(busy == HttpStatusCode.OK || minutes + 19 >= 12 * 60, $"ended after {minutes + 19} minutes");
        }

        Assert.Equal(HttpStatusCode.Unauthorized, busy);
    }

    [Fact]
    public async Task TwentyOneIdleMinutes_Are401()
    {
        var cookie = await SignInAsync(await CreateAsync("recorder", "孙七"), Password);
        api.Clock.Advance(Duration.FromMinutes(21));

        using var award = await SendAsync(HttpMethod.Post, "/api/v1/awards", cookie, new { residentId = "east-004", indicator = "GOV-01", quantity = 1 }, Key());

        Assert.Equal(HttpStatusCode.Unauthorized, award.StatusCode);
        Assert.Equal("登录已超时, 请重新登录", (await award.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("messageZh").GetString());
    }

    [Fact]
    public async Task TheCookie_IsHttpOnly_SameSiteStrict_ForTheWholeSite_AndSignInSaysWhoAndTheIdleTimeout()
    {
        var id = await CreateAsync("manager", "张伟");
        using var response = await SendAsync(HttpMethod.Post, "/api/v1/staff-sessions", null, new { id, password = Password });
        var cookie = response.Headers.GetValues("Set-Cookie").Single();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        var attributes = cookie.Split(';', StringSplitOptions.TrimEntries).Select(a => a.ToLowerInvariant()).ToList();
        Assert.StartsWith("incentives_staff=", cookie, StringComparison.Ordinal);
        Assert.Matches("^incentives_staff=[0-9a-f]{64}$", cookie.Split(';')[0]);
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=strict", attributes);
        Assert.Contains("path=/", attributes);
        Assert.DoesNotContain("secure", attributes); // plain HTTP in the test host
        Assert.Equal(id, body.GetProperty("staff").GetProperty("id").GetString());
        Assert.Equal("manager", body.GetProperty("staff").GetProperty("role").GetString());
        Assert.Equal("east", body.GetProperty("staff").GetProperty("community").GetString());
        Assert.Equal(1200, body.GetProperty("idleTimeoutSeconds").GetInt32());
    }

    [Fact]
    public async Task SigningOut_EndsTheSessionAndClearsTheCookie()
    {
        var cookie = await SignInAsync(await CreateAsync("recorder", "周八"), Password);

        using var signOut = await SendAsync(HttpMethod.Delete, "/api/v1/staff-sessions/current", cookie);
        using var after = await SendAsync(HttpMethod.Get, "/api/v1/staff-sessions/current", cookie);

        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        Assert.Contains(signOut.Headers.GetValues("Set-Cookie"), c => c.StartsWith("incentives_staff=;", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task ARecorder_MayNotCreateStaff_AManagerMayInTheirOwnCommunityOnly()
    {
        var recorder = await SignInAsync(await CreateAsync("recorder", "吴九"), Password);
        var manager = await SignInAsync(await CreateAsync("manager", "郑十"), Password);

        using var byRecorder = await SendAsync(HttpMethod.Post, "/api/v1/staff", recorder, Account("recorder", "east"));
        using var byManager = await SendAsync(HttpMethod.Post, "/api/v1/staff", manager, Account("recorder", "east"));
        using var elsewhere = await SendAsync(HttpMethod.Post, "/api/v1/staff", manager, Account("recorder", "west"));
        using var password = await SendAsync(HttpMethod.Post, $"/api/v1/staff/{(await byManager.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()}/password", recorder,
            new { password = "another-password-1" });

        Assert.Equal(HttpStatusCode.Forbidden, byRecorder.StatusCode);
        Assert.Equal(HttpStatusCode.Created, byManager.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, elsewhere.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, password.StatusCode);
    }

    [Fact]
    public async Task AMemberOfEast_MayNotActOnWest()
    {
        var cookie = await SignInAsync(await CreateAsync("manager", "钱一"), Password);

        using var award = await SendAsync(HttpMethod.Post, "/api/v1/awards", cookie, new { residentId = "west-001", indicator = "GOV-01", quantity = 1 }, Key());
        using var resident = await SendAsync(HttpMethod.Get, "/api/v1/residents/west-001", cookie);
        using var staff = await SendAsync(HttpMethod.Get, "/api/v1/staff?community=west", cookie);
        using var password = await SendAsync(HttpMethod.Post, "/api/v1/staff/west-recorder/password", cookie, new { password = "another-password-1" });
        using var own = await SendAsync(HttpMethod.Get, "/api/v1/staff", cookie);

        Assert.Equal(HttpStatusCode.Forbidden, award.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, resident.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, staff.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, password.StatusCode);
        var communities = (await own.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Select(m => m.GetProperty("community").GetString()).Distinct().ToList();
        Assert.Equal(["east"], communities);
    }

    [Theory]
    [InlineData("short-1", "password")]
    [InlineData(null, "password")]
    [InlineData("a-long-enough-password", "id", "Bad Id")]
    [InlineData("a-long-enough-password", "role", null, "boss")]
    [InlineData("a-long-enough-password", "name", null, null, "")]
    [InlineData("a-long-enough-password", "community", null, null, null, "no such!")]
    public async Task BadInput_Is400NamingTheField(string? password, string field, string? id = null, string? role = null, string? name = null, string? community = null)
    {
        using var admin = api.As(api.Admin);
        using var response = await admin.PostAsJsonAsync("/api/v1/staff", new { id = id ?? "east-new-" + Key(), name = name ?? "新人", role = role ?? "recorder", community = community ?? "east", password });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("messageZh").GetString()));
    }

    [Fact]
    public async Task ATakenId_Is409()
    {
        var id = await CreateAsync("recorder", "重名");
        using var admin = api.As(api.Admin);

        using var again = await admin.PostAsJsonAsync("/api/v1/staff", new { id, name = "重名", role = "recorder", community = "east", password = Password });

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("id", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
    }

    [Fact]
    public async Task ANewPassword_UnlocksTheAccount_AndSignsOutItsSessions()
    {
        var id = await CreateAsync("recorder", "冯二");
        var old = await SignInAsync(id, Password);
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await SendAsync(HttpMethod.Post, "/api/v1/staff-sessions", null, new { id, password = "wrong-password-" + i });
        }

        using var admin = api.As(api.Admin);
        using var reset = await admin.PostAsJsonAsync($"/api/v1/staff/{id}/password", new { password = "a-brand-new-password" });
        using var oldSession = await SendAsync(HttpMethod.Get, "/api/v1/staff-sessions/current", old);
        using var signIn = await SendAsync(HttpMethod.Post, "/api/v1/staff-sessions", null, new { id, password = "a-brand-new-password" });

        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.False((await reset.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("locked").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, oldSession.StatusCode);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
    }

    [Fact]
    public async Task AStaffKey_IsASystemKey_NotAPerson_ButMayManageItsCommunitysStaff()
    {
        using var staff = api.As(api.Staff(0));

        using var current = await staff.GetAsync(new Uri("/api/v1/staff-sessions/current", UriKind.Relative));
        using var created = await staff.PostAsJsonAsync("/api/v1/staff", Account("reviewer", "east"));

        Assert.Equal(HttpStatusCode.Unauthorized, current.StatusCode);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    [Fact]
    public async Task DemoData_HasARecorderReviewerAndManagerPerCommunity_WhoCanSignIn_AndNoPasswordIsLogged()
    {
        foreach (var i in new[] { 0, 1 })
        {
            var community = api.Community(i);
            var staff = community.GetProperty("staff").EnumerateArray().ToList();
            Assert.Equal(["recorder", "reviewer", "manager"], staff.Select(s => s.GetProperty("role").GetString()));
            Assert.All(staff, s => Assert.Equal($"{community.GetProperty("id").GetString()}-{s.GetProperty("role").GetString()}", s.GetProperty("id").GetString()));
            foreach (var s in staff)
            {
                var password = s.GetProperty("password").GetString()!;
                Assert.True(password.Length >= 10);
                Assert.DoesNotContain(api.Logs.Lines, l => l.Contains(password, StringComparison.Ordinal));
            }
        }

        var manager = api.Community(1).GetProperty("staff")[2];
        var cookie = await SignInAsync(manager.GetProperty("id").GetString()!, manager.GetProperty("password").GetString()!);
        using var current = await SendAsync(HttpMethod.Get, "/api/v1/staff-sessions/current", cookie);
        var body = await current.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(manager.GetProperty("name").GetString(), body.GetProperty("staff").GetProperty("name").GetString());
        Assert.Equal("west", body.GetProperty("staff").GetProperty("community").GetString());
    }

    private static object Account(string role, string community) =>
        new { id = $"{community}-t{Interlocked.Increment(ref _n)}", name = "新同事", role, community, password = Password };

    private async Task<string> CreateAsync(string role, string name)
    {
        var id = $"east-s{Interlocked.Increment(ref _n)}";
        using var admin = api.As(api.Admin);
        using var response = await admin.PostAsJsonAsync("/api/v1/staff", new { id, name, role, community = "east", password = Password });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return id;
    }

    private async Task<string> SignInAsync(string id, string password)
    {
        using var response = await SendAsync(HttpMethod.Post, "/api/v1/staff-sessions", null, new { id, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
    }

    private static string Key() => "staff-test-" + Interlocked.Increment(ref _n);

    // The test host's client keeps no cookies: each request carries the session cookie it is given.
    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? cookie, object? body = null, string? idempotencyKey = null)
    {
        using var client = api.As(null);
        using var request = new HttpRequestMessage(method, path);
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await client.SendAsync(request);
    }
}
