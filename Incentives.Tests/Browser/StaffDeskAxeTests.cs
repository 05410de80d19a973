using System.Text.Json;
using Incentives.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Incentives.Tests.Browser;

[CollectionDefinition("staff-desk-axe-browser")]
public sealed class StaffDeskAxeBrowserGroup : ICollectionFixture<BrowserHost>;

/// <summary>An axe-core scan of every section of the staff desk (issue 14), signed in as the demo manager of <c>east</c>:
/// no critical or serious violation on any of them.</summary>
[Collection("staff-desk-axe-browser")]
public sealed class StaffDeskAxeTests(BrowserHost host, ITestOutputHelper output)
{
    private const int Width = 1366, Height = 900;
    private const int Manager = 2;


    [SkippableFact]
    public async Task EverySectionOfTheDesk_HasNoCriticalOrSeriousAxeViolation()
    {
        BrowserHost.RequireChromium();
        var page = await SignedIn(Manager);
        var failures = new List<string>();

        string[] sections = ["residents", "record", "pickup", "goods", "approvals", "postings", "appeals", "residents-admin"];
        foreach (var section in sections)
        {
            await page.ClickAsync($"nav [data-view={section}]");
            await Assertions.Expect(page.Locator($"section#{section}")).ToBeVisibleAsync();
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await Axe(page, section, failures);
        }

        // A resident's view: searched by id, opened from the results.
        await page.ClickAsync("nav [data-view=residents]");
        await page.FillAsync("#search", "east-001");
        await Assertions.Expect(page.Locator("#results button[data-id='east-001']")).ToBeVisibleAsync();
        await page.ClickAsync("#results button[data-id='east-001']");
        await Assertions.Expect(page.Locator("#detail")).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Assertions.Expect(page.Locator("#chart svg")).Not.ToHaveCountAsync(0);
        await Axe(page, "resident-view", failures);

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private Task<IPage> SignedIn(int role) => host.DeskSignedIn(role, Width, Height);

    private Task Axe(IPage page, string section, List<string> failures) => AxeScan.RecordAsync(page, "staff " + section, output, failures);
}
