using Incentives.Ledger;
using Incentives.Mall;
using Incentives.Rules;
using Incentives.Tests.Support;
using NodaTime;

namespace Incentives.Tests.Mall;

public sealed class ReservationTests
{
    [Fact]
    public async Task Reserve_ThenFulfil_HoldsThenSpendsThePointsAndTheStock()
    {
        using var t = TestEngine.Create();
        TestMall.Open(t);
        var r = TestMall.Rich(t, 100);

        var reservation = TestMall.Reserve(t, r, ("RICE", 2), ("HAIRCUT", 1)).Value!;

        Assert.Equal(80, reservation.HeldPoints);
        Assert.Matches($"^[{PickupCodes.Alphabet}]{{6}}$", reservation.PickupCode);
        Assert.Equal(new Balance(20, 0, 80, 100), t.Engine.GetBalance(r));
        Assert.Equal((8L, 2L), (t.Engine.GetItems(TestMall.Store).Single(i => i.Definition.Sku == "RICE").Stock, t.Engine.GetItems(TestMall.Store).Single(i => i.Definition.Sku == "RICE").Held));

        var fulfilled = (await t.Engine.FulfilAsync(TestMall.Store, reservation.PickupCode.ToLowerInvariant(), "staff-1")).Value!;

        Assert.Equal(ReservationStatus.Fulfilled, fulfilled.Status);
        Assert.Equal(new Balance(20, 0, 0, 100), t.Engine.GetBalance(r));
        var redemption = t.Engine.GetEntry(fulfilled.Redemption!.Value)!;
        Assert.Equal((EntryKind.Redemption, -80L), (redemption.Kind, redemption.Points));
        // The statement line is in the reader's language: the engine writes its own reasons as "中文 / English".
        Assert.Equal($"兑换 预约 {fulfilled.Id} (取货码 {fulfilled.PickupCode})", redemption.Explain(Incentives.Catalog.Language.Zh));
        Assert.Equal($"reservation {fulfilled.Id} ({fulfilled.PickupCode})", redemption.Explain(Incentives.Catalog.Language.En));
        var rice = t.Engine.GetItems(TestMall.Store).Single(i => i.Definition.Sku == "RICE");
        Assert.Equal((8L, 0L, 2L, 10L), (rice.Stock, rice.Held, rice.Handed, rice.Received));
        Assert.True(t.Engine.VerifyChain(r).Valid);
    }

    [Fact]
    public async Task Fulfil_Twice_AnswersTheFirstResultAndSpendsOnce()
    {
        using var t = TestEngine.Create();
        TestMall.Open(t);
        var r = TestMall.Rich(t, 100);
        var code = TestMall.Reserve(t, r, ("RICE", 1)).Value!.PickupCode;
        var first = await t.Engine.FulfilAsync(TestMall.Store, code, "staff-1");

        var second = await t.Engine.FulfilAsync(TestMall.Store, code, "staff-1");

        Assert.True(second.Replayed);
        Assert.Equal(first.Value!.Redemption, second.Value!.Redemption);
        Assert.Equal(70, t.Engine.GetBalance(r)!.Available);
    }

    [Fact]
    public async Task Cancel_ReturnsPointsToTheSameLotsAndStockOnce()
    {
        using var t = TestEngine.Create();
        TestMall.Open(t);
        var r = TestMall.Rich(t, 40);
        t.Adjust(r, 60);
        var lotsBefore = t.Engine.GetLots(r);
        var reservation = TestMall.Reserve(t, r, ("RICE", 2)).Value!;

        var cancelled = await t.Engine.CancelAsync(TestMall.Store, reservation.PickupCode, "resident");
        var again = await t.Engine.CancelAsync(TestMall.Store, reservation.PickupCode, "resident");
        var fulfil = await t.Engine.FulfilAsync(TestMall.Store, reservation.PickupCode, "staff-1");

        Assert.Equal(ReservationStatus.Cancelled, cancelled.Value!.Status);
        Assert.True(again.Replayed);
        Assert.Equal(RefusalCode.InvalidState, fulfil.Refusal!.Code);
        Assert.Equal(lotsBefore, t.Engine.GetLots(r));
        Assert.Equal(new Balance(100, 0, 0, 100), t.Engine.GetBalance(r));
        Assert.Equal(10, t.Engine.GetItems(TestMall.Store).Single(i => i.Definition.Sku == "RICE").Stock);
    }

    [Fact]
    public async Task Hold_NotPickedUpWithin48Hours_ExpiresOnceAndReturnsEverything()
    {
        using var t = TestEngine.Create();
        TestMall.Open(t);
        var r = TestMall.Rich(t, 100);
        var reservation = TestMall.Reserve(t, r, ("RICE", 1)).Value!;
        t.Clock.Advance(Duration.FromHours(48) - Duration.Epsilon);
        Assert.Equal(0, (await t.Engine.RunDueWorkAsync()).ExpiredHolds);
        t.Clock.Advance(Duration.Epsilon);

        var report = await t.Engine.RunDueWorkAsync();
        var again = await t.Engine.RunDueWorkAsync();

        Assert.Equal((1, 0), (report.ExpiredHolds, again.ExpiredHolds));
        Assert.Equal(ReservationStatus.Expired, t.Engine.GetReservation(TestMall.Store, reservation.PickupCode)!.Status);
        Assert.Equal(new Balance(100, 0, 0, 100), t.Engine.GetBalance(r));
        Assert.Equal(RefusalCode.InvalidState, (await t.Engine.FulfilAsync(TestMall.Store, reservation.PickupCode, "staff-1")).Refusal!.Code);
    }

    [Fact]
    public void Reserve_InsufficientPoints_SaysTheShortfall()
    {
        using var t = TestEngine.Create();
        TestMall.Open(t);
        var r = TestMall.Rich(t, 48);

        var result = TestMall.Reserve(t, r, ("RICE", 2));

        Assert.Equal((RefusalCode.InsufficientPoints, 12L), (result.Refusal!.Code, result.Refusal.Shortfall!.Value));
        Assert.Equal("还差 12 分", result.Refusal.MessageZh);
        Assert.Equal(new Balance(48, 0, 0, 48), t.Engine.GetBalance(r));
    }

    [Fact]
    public void Reserve_OutOfStock_SaysWhatIsLeft()
    {
        using var t = TestEngine.Create();
        TestMall.Open(t);
        var r = TestMall.Rich(t, 1000);

        var result = TestMall.Reserve(t, r, ("HAIRCUT", 6));

        Assert.Equal((RefusalCode.OutOfStock, 5L), (result.Refusal!.Code, result.Refusal.Left!.Value));
    }

    [Fact]
    public async Task Reserve_OverTheMonthlyLimit_SaysWhenItResets_AndACancelGivesTheAllowanceBack()
    {
        using var t = TestEngine.Create();
        TestMall.Open(t);
        var r = TestMall.Rich(t, 1000);
        var first = TestMall.Reserve(t, r, ("SOAP", 2)).Value!;

        var refused = TestMall.Reserve(t, r, ("SOAP", 1));

        Assert.Equal(RefusalCode.LimitReached, refused.Refusal!.Code);
        Assert.Equal(Instant.FromUtc(2026, 11, 30, 16, 0), refused.Refusal.ResetsAt); // 1 Dec 00:00 in Shanghai
        await t.Engine.CancelAsync(TestMall.Store, first.PickupCode, "resident");
        Assert.True(TestMall.Reserve(t, r, ("SOAP", 2)).Succeeded);
        t.Clock.Reset(Instant.FromUtc(2026, 11, 30, 16, 0));
        Assert.True(TestMall.Reserve(t, r, ("SOAP", 2)).Succeeded);
    }

    [Fact]
    public void Reserve_TierGatedItem_NeedsTheTierAndConsent()
    {
        using var t = TestEngine.Create();
        TestMall.Open(t);
        var unrated = TestMall.Rich(t, 1000);
        var rated = TestMall.Rich(t, 1000);
        t.Consent(rated);

        var noConsent = TestMall.Reserve(t, unrated, ("OIL", 1));
        var tierA = TestMall.Reserve(t, rated, ("OIL", 1));
        t.Credit(rated, 30);
        var tierAA = TestMall.Reserve(t, rated, ("OIL", 1));

        Assert.Equal((RefusalCode.TierTooLow, "AA"), (noConsent.Refusal!.Code, noConsent.Refusal.TierNeeded));
        Assert.Contains("unrated", noConsent.Refusal.Message, StringComparison.Ordinal);
        Assert.Equal((RefusalCode.TierTooLow, "AA"), (tierA.Refusal!.Code, tierA.Refusal.TierNeeded));
        Assert.Equal(50, tierAA.Value!.HeldPoints);
    }

    [Fact]
    public void Reserve_AAAResident_PaysTheTierPrice()
    {
        using var t = TestEngine.Create();
        TestMall.Open(t);
        var r = TestMall.Rich(t, 1000);
        t.Consent(r);
        t.Credit(r, 50);

        var reservation = TestMall.Reserve(t, r, ("OIL", 2)).Value!;

        Assert.Equal(new ReservationLine("OIL", 2, 40, ItemKind.Goods), Assert.Single(reservation.Lines));
        Assert.Equal(80, reservation.HeldPoints);
    }

    [Fact]
    public void Reserve_ItemOutsideItsActiveWindow_IsRefused()
    {
        using var t = TestEngine.Create();
        TestMall.Open(t);
        TestMall.Define(t, new ItemDefinition("MOONCAKE", "月饼", "Mooncake", 10, ItemKind.Goods,
            ActiveFrom: Instant.FromUtc(2027, 9, 1, 0, 0), ActiveTo: Instant.FromUtc(2027, 9, 20, 0, 0)), 10);
        var r = TestMall.Rich(t, 100);

        var result = TestMall.Reserve(t, r, ("MOONCAKE", 1));

        Assert.Equal((RefusalCode.ItemInactive, "sku"), (result.Refusal!.Code, result.Refusal.Field));
    }

    [Fact]
    public async Task Reserve_SameKeyTwice_ReturnsTheSameReservation()
    {
        using var t = TestEngine.Create();
        TestMall.Open(t);
        var r = TestMall.Rich(t, 100);
        var request = new ReservationRequest(TestMall.Store, r, [new LineRequest("RICE", 1)], "same");

        var first = (await t.Engine.ReserveAsync(request));
        var second = (await t.Engine.ReserveAsync(request));

        Assert.True(second.Replayed);
        Assert.Equal(first.Value!.PickupCode, second.Value!.PickupCode);
        Assert.Equal(70, t.Engine.GetBalance(r)!.Available);
    }

    [Fact]
    public async Task Reserve_ResidentOfAnotherCommunity_IsRefused()
    {
        using var t = TestEngine.Create();
        TestMall.Open(t);
        await t.Engine.RegisterCommunityAsync(new CommunityId("west"), "西城社区");
        var outsider = (await t.Engine.RegisterResidentAsync(new CommunityId("west"), "钱七")).Value!.Id;

        var result = TestMall.Reserve(t, outsider, ("RICE", 1));

        Assert.Equal(("residentId", RefusalCode.InvalidArgument), (result.Refusal!.Field, result.Refusal.Code));
    }

    [Fact]
    public async Task ChangeStock_IsJournaledAndCannotGoNegative()
    {
        using var t = TestEngine.Create();
        TestMall.Open(t);

        var writeOff = await t.Engine.ChangeStockAsync(TestMall.Store, "RICE", StockChangeKind.WriteOff, 3, "staff-1", "damp");
        var tooMuch = await t.Engine.ChangeStockAsync(TestMall.Store, "RICE", StockChangeKind.Correction, -8, "staff-1", "count");
        var noReason = await t.Engine.ChangeStockAsync(TestMall.Store, "RICE", StockChangeKind.Receive, 1, "staff-1", " ");

        Assert.Equal(7, writeOff.Value!.Stock);
        Assert.Equal((RefusalCode.OutOfStock, 7L), (tooMuch.Refusal!.Code, tooMuch.Refusal.Left!.Value));
        Assert.Equal("reason", noReason.Refusal!.Field);
        Assert.Equal(2, t.Engine.Store.StockChangesOf("s1|RICE").Count);
    }
}
