using Incentives.Ledger;
using Incentives.Rules;
using Incentives.Tests.Support;
using NodaTime;

namespace Incentives.Tests.Ledger;

public sealed class LedgerTests
{
    [Fact]
    public void Award_Applied_UpdatesBalanceAndWritesAnExplainedEntry()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();

        var result = t.Award(r, "VOL-01", 2.5m);

        var entry = result.Value!;
        Assert.False(result.Replayed);
        Assert.Equal((EntryKind.Award, 5L, 1L), (entry.Kind, entry.Points, entry.Sequence));
        Assert.Equal(new Balance(5, 0, 0, 5), t.Engine.GetBalance(r));
        Assert.Equal(entry.Hash, t.Engine.GetEntry(entry.Id)!.Hash);
        Assert.Equal(t.Engine.Catalog.Hash, entry.Decision!.CatalogHash);
    }

    [Fact]
    public void Award_SameKeySamePayload_ReturnsTheOriginalAndWritesNothing()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();
        var first = t.Award(r, "VOL-01", 2.5m, key: "same");

        var again = t.Award(r, "VOL-01", 2.50m, key: "same");

        Assert.True(again.Replayed);
        Assert.Equal((first.Value!.Id, first.Value.Hash), (again.Value!.Id, again.Value.Hash));
        Assert.Equal(5, t.Engine.GetBalance(r)!.Available);
    }

    [Fact]
    public void Award_SameKeyOtherPayload_IsAConflictAndChangesNothing()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();
        t.Award(r, "VOL-01", 2.5m, key: "same");

        var other = t.Award(r, "VOL-01", 3m, key: "same");

        Assert.Equal(RefusalCode.IdempotencyConflict, other.Refusal!.Code);
        Assert.Equal("idempotencyKey", other.Refusal.Field);
        Assert.Equal(5, t.Engine.GetBalance(r)!.Available);
    }

    [Fact]
    public void Award_Refused_WritesNothingAndReturnsTheDecision()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();

        var result = t.Award(r, "VOL-01", 100m, key: "too-much");

        Assert.Equal(RefusalCode.QuantityOutOfRange, result.Refusal!.Code);
        Assert.NotNull(result.Decision);
        Assert.Equal(0, t.Engine.GetStatement(new StatementQuery(r)).Total);
        Assert.True(t.Award(r, "VOL-01", 1m, key: "too-much").Succeeded);
    }

    [Fact]
    public void Deduction_LargerThanBalance_TakesItToZeroAndRecordsTheRest()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();
        t.Award(r, "GOV-01", 1); // +3

        var entry = t.Award(r, "ENV-05", 1).Value!; // −10

        Assert.Equal((EntryKind.Deduction, -3L, 7L), (entry.Kind, entry.Points, entry.Uncovered));
        Assert.Equal(0, t.Engine.GetBalance(r)!.Available);
    }

    [Fact]
    public void Reverse_Award_IsANewEntryPointingAtItAndRestoresCapRoom()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();
        var award = t.Award(r, "VOL-01", 4m).Value!;

        var reversal = t.Reverse(award.Id).Value!;

        Assert.Equal((EntryKind.Reversal, -8L, award.Id), (reversal.Kind, reversal.Points, reversal.Reverses!.Value));
        Assert.Equal(new Balance(0, 0, 0, 0), t.Engine.GetBalance(r));
        Assert.Equal(8, t.Preview(r, "VOL-01", 4m).Awarded);
        Assert.Equal(award.Hash, t.Engine.GetEntry(award.Id)!.Hash);
    }

    [Fact]
    public void Reverse_Twice_IsRefused()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();
        var award = t.Award(r, "VOL-01", 1m).Value!;
        t.Reverse(award.Id);

        var again = t.Reverse(award.Id);

        Assert.Equal(RefusalCode.AlreadyReversed, again.Refusal!.Code);
    }

    [Fact]
    public void Reverse_AReversal_IsRefused()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();
        var reversal = t.Reverse(t.Award(r, "VOL-01", 1m).Value!.Id).Value!;

        Assert.Equal(RefusalCode.NotReversible, t.Reverse(reversal.Id).Refusal!.Code);
    }

    [Fact]
    public void Reverse_DeductionThatWasPartlyUncovered_GivesBackOnlyWhatWasTaken()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();
        t.Award(r, "GOV-01", 1); // +3
        var deduction = t.Award(r, "ENV-05", 1).Value!; // took 3 of 10

        var reversal = t.Reverse(deduction.Id).Value!;

        Assert.Equal(3, reversal.Points);
        Assert.Equal(3, t.Engine.GetBalance(r)!.Available);
    }

    [Fact]
    public void Reverse_UnknownEntry_IsRefused()
    {
        using var t = TestEngine.Create();

        Assert.Equal(RefusalCode.UnknownEntry, t.Reverse(new EntryId(999)).Refusal!.Code);
    }

    [Fact]
    public async Task Adjust_WithoutReason_IsRefused()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();

        var result = await t.Engine.AdjustAsync(new AdjustmentRequest(r, 10, " ", "staff-1", "k"));

        Assert.Equal((RefusalCode.InvalidArgument, "reason"), (result.Refusal!.Code, result.Refusal.Field));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public async Task Award_WithoutIdempotencyKey_IsRefusedNamingTheField(string key)
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();

        var result = await t.Engine.AwardAsync(new AwardRequest(r, new Incentives.Catalog.IndicatorCode("VOL-01"), 1, "staff-1", key));

        Assert.Equal((RefusalCode.InvalidArgument, "idempotencyKey"), (result.Refusal!.Code, result.Refusal.Field));
    }

    [Theory]
    [InlineData(long.MinValue)]
    [InlineData(1_000_001)]
    [InlineData(0)]
    public async Task Adjust_PointsOutOfRange_IsRefusedAndChangesNothing(long points)
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();

        var result = await t.Engine.AdjustAsync(new AdjustmentRequest(r, points, "case by case", "staff-1", "k"));

        Assert.Equal((RefusalCode.InvalidArgument, "points"), (result.Refusal!.Code, result.Refusal.Field));
        Assert.Equal(Balance.Zero, t.Engine.GetBalance(r));
    }

    [Fact]
    public async Task RegisterResident_WithoutName_IsRefused()
    {
        using var t = TestEngine.Create();

        var result = await t.Engine.RegisterResidentAsync(TestEngine.Community, "  ");

        Assert.Equal((RefusalCode.InvalidArgument, "displayName"), (result.Refusal!.Code, result.Refusal.Field));
    }

    [Fact]
    public async Task RegisterResident_InUnknownCommunity_IsRefused()
    {
        using var t = TestEngine.Create();

        var result = await t.Engine.RegisterResidentAsync(new CommunityId("west"), "张三");

        Assert.Equal(RefusalCode.UnknownCommunity, result.Refusal!.Code);
    }

    [Fact]
    public void Statement_FiltersByTimeAndKindAndPagesNewestFirst()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();
        t.Adjust(r, 100);
        var ids = new List<EntryId>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(t.Award(r, "GOV-05", 1).Value!.Id);
            t.Clock.Advance(Duration.FromDays(1));
        }

        t.Award(r, "ENV-04", 1);
        var page = t.Engine.GetStatement(new StatementQuery(r, Kind: EntryKind.Award, Page: 2, PageSize: 2));
        var ranged = t.Engine.GetStatement(new StatementQuery(r, From: TestEngine.Start + Duration.FromDays(1), To: TestEngine.Start + Duration.FromDays(3)));

        Assert.Equal(5, page.Total);
        Assert.Equal([ids[2], ids[1]], page.Items.Select(e => e.Id));
        Assert.Equal([ids[2], ids[1]], ranged.Items.Select(e => e.Id));
    }

    [Fact]
    public void PointsByCategory_CountsEveryEntryOfTheMonths_NotOnePage()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();
        t.Adjust(r, 100_000);
        for (var i = 0; i < 600; i++)
        {
            t.Award(r, "ENV-04", 1); // −5, then −10 for each repeat within a year: 600 entries this month
        }

        var rows = t.Engine.GetPointsByCategory(r);

        Assert.Equal(new Incentives.Mall.CategoryPoints("2026-11", "ENV", -5 - (599 * 10)), rows.Single());
    }

    [Fact]
    public void VerifyChain_AfterMixedCommands_HoldsAndDetectsTampering()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();
        t.Award(r, "VOL-01", 2);
        var deduction = t.Award(r, "CIV-04", 1).Value!;
        t.Reverse(deduction.Id);
        t.Adjust(r, 7);

        Assert.Equal(new ChainVerification(true, 4, null), t.Engine.VerifyChain(r));
        var doc = t.Engine.Store.Entries.FindById(deduction.Id.Value)!;
        doc.Json = doc.Json.Replace("\"recordedBy\":\"staff-1\"", "\"recordedBy\":\"someone-else\"", StringComparison.Ordinal);
        t.Engine.Store.Entries.Update(doc);
        var broken = t.Engine.VerifyChain(r);
        Assert.False(broken.Valid);
        Assert.Contains($"entry {deduction.Id}", broken.Problem, StringComparison.Ordinal);
    }
}
