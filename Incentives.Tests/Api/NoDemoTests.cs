using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Incentives.Tests.Api;

/// <summary>A factory that starts without demo data.</summary>
public sealed class EmptyApiFactory : ApiFactory
{
    protected override bool Demo => false;
}

public sealed class NoDemoTests(EmptyApiFactory api) : IClassFixture<EmptyApiFactory>
{
    [Fact]
    public async Task Start_WithoutDemo_WritesOnlyAnAdminKeyThatWorks()
    {
        _ = api.Services;
        var key = (await File.ReadAllTextAsync(Path.Combine(api.DataDirectory, "admin.key"))).Trim();
        using var admin = api.As(key);

        var communities = await admin.GetFromJsonAsync<JsonElement>("/api/v1/communities");
        var created = await admin.PostAsJsonAsync("/api/v1/communities", new { id = "north", name = "北城社区" });

        Assert.False(File.Exists(Path.Combine(api.DataDirectory, "demo-keys.json")));
        Assert.Equal(0, communities.GetArrayLength());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    [Fact]
    public async Task Keys_CreatedAndRevokedByAdmin_StopWorkingWhenRevoked()
    {
        _ = api.Services;
        using var admin = api.As((await File.ReadAllTextAsync(Path.Combine(api.DataDirectory, "admin.key"))).Trim());
        var created = await (await admin.PostAsJsonAsync("/api/v1/keys", new { role = "partner", scope = "library" })).Content.ReadFromJsonAsync<JsonElement>();
        using var partner = api.As(created.GetProperty("key").GetString());
        Assert.Equal(HttpStatusCode.OK, (await partner.GetAsync("/api/v1/benefits")).StatusCode);

        await admin.DeleteAsync($"/api/v1/keys/{created.GetProperty("id").GetString()}");

        Assert.Equal(HttpStatusCode.Unauthorized, (await partner.GetAsync("/api/v1/benefits")).StatusCode);
    }
}
