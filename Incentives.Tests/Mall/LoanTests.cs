using Incentives.Credit;
using Incentives.Ledger;
using Incentives.Mall;
using Incentives.Rules;
using Incentives.Tests.Catalog;
using Incentives.Tests.Support;
using NodaTime;

namespace Incentives.Tests.Mall;

public sealed class LoanTests
{
    [Fact]
    public async Task Loan_FulfilThenReturn_PutsTheItemBackInStock()
    {
        using var t = TestEngine.Create();
        TestMall.Open(t);
        var r = t.NewResident();
        t.Consent(r);
        var code = TestMall.Reserve(t, r, ("UMBRELLA", 1)).Value!.PickupCode;
        await t.Engine.FulfilAsync(TestMall.Store, code, "staff-1");
        Assert.Equal((2L, 1L), (Umbrella(t).Stock, Umbrella(t).Handed));

        var returned = await t.Engine.ReturnLoanAsync(TestMall.Store, code, "staff-1");
        var twice = await t.Engine.ReturnLoanAsync(TestMall.Store, code, "staff-1");

        Assert.True(returned.Succeeded);
        Assert.True(twice.Replayed);
        Assert.Equal(("UMBRELLA", true), (Assert.Single(t.Engine.GetLoans(r)).Sku, t.Engine.GetLoans(r)[0].ReturnedAt is not null));
        Assert.Empty(t.Engine.GetLoans(TestMall.Rich(t, 1)));
        Assert.Equal((3L, 0L), (Umbrella(t).Stock, Umbrella(t).Handed));
    }

    [Fact]
    public async Task Loan_Overdue_IsRecordedOnceThroughTheCatalogIndicator()
    {
        var rules = Repo.CopyRules();
        RulesLoaderTests.Edit(rules, new("indicators/civ.json", "\"indicators\": [", "\"indicators\": [\n    { \"code\": \"CIV-06\", \"nameZh\": \"借用物品逾期未还\", \"nameEn\": \"Loan overdue\", \"points\": -2, \"unit\": \"event\", \"evidence\": \"E1\", \"creditDelta\": -5 },"));
        using var t = TestEngine.Create(rules: rules);
        TestMall.Open(t, overdueIndicator: "CIV-06");
        var r = TestMall.Rich(t, 10);
        t.Consent(r);
        var code = TestMall.Reserve(t, r, ("UMBRELLA", 1)).Value!.PickupCode;
        await t.Engine.FulfilAsync(TestMall.Store, code, "staff-1");
        t.Clock.Advance(Duration.FromDays(7));
        Assert.Equal(0, (await t.Engine.RunDueWorkAsync()).OverdueLoans);
        t.Clock.Advance(Duration.FromDays(1));

        var report = await t.Engine.RunDueWorkAsync();
        var again = await t.Engine.RunDueWorkAsync();

        Assert.Equal((1, 0), (report.OverdueLoans, again.OverdueLoans));
        var entry = t.Engine.GetStatement(new StatementQuery(r, Kind: EntryKind.Deduction)).Items.Single();
        Assert.Equal(("CIV-06", -2L, "system"), (entry.Indicator!.Value.Value, entry.Points, entry.RecordedBy));
        Assert.Equal(995L, t.Standing(r).Score);
    }

    [Fact]
    public async Task Loan_WithoutAnOverdueIndicator_IsFlaggedButNotPenalised()
    {
        using var t = TestEngine.Create();
        TestMall.Open(t);
        var r = TestMall.Rich(t, 10);
        t.Consent(r);
        var code = TestMall.Reserve(t, r, ("UMBRELLA", 1)).Value!.PickupCode;
        await t.Engine.FulfilAsync(TestMall.Store, code, "staff-1");
        t.Clock.Advance(Duration.FromDays(9));

        var report = await t.Engine.RunDueWorkAsync();

        Assert.Equal(1, report.OverdueLoans);
        Assert.Equal(10, t.Engine.GetBalance(r)!.Available);
        Assert.Empty(t.Engine.GetCreditRecords(r));
    }

    [Fact]
    public async Task Return_OfAReservationWithoutLoans_IsRefused()
    {
        using var t = TestEngine.Create();
        TestMall.Open(t);
        var r = TestMall.Rich(t, 100);
        var code = TestMall.Reserve(t, r, ("RICE", 1)).Value!.PickupCode;

        var result = await t.Engine.ReturnLoanAsync(TestMall.Store, code, "staff-1");

        Assert.Equal(RefusalCode.InvalidState, result.Refusal!.Code);
    }

    private static StoreItem Umbrella(TestEngine t) => t.Engine.GetItems(TestMall.Store).Single(i => i.Definition.Sku == "UMBRELLA");
}
