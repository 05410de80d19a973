using Incentives.Credit;
using Incentives.Ledger;
using Incentives.Rules;
using Incentives.Tests.Catalog;
using Incentives.Tests.Support;
using NodaTime;

namespace Incentives.Tests.Credit;

public sealed class EligibilityTests
{
    [Fact]
    public async Task Decide_AAAResident_IsEligibleForTheHeatingSubsidyAndTheDecisionCanBeLookedUp()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();
        t.Consent(r);
        t.Credit(r, 50);

        var d = (await t.Engine.DecideEligibilityAsync("HEATING-SUBSIDY", r)).Value!;

        Assert.True(d.Eligible);
        Assert.Equal(("AAA", 1050L, "2026.1", t.Engine.Catalog.Hash), (d.Tier, d.Score, d.PolicyVersion, d.PolicyHash));
        Assert.Equal("tier AAA meets AAA", Assert.Single(d.Reasons).Message);
        Assert.Equal(d, t.Engine.GetEligibilityDecision(d.Id) is { } again ? again with { Reasons = d.Reasons } : null);
        Assert.Equal(d.Reasons.Select(x => x.Message), t.Engine.GetEligibilityDecision(d.Id)!.Reasons.Select(x => x.Message));
    }

    [Fact]
    public async Task Decide_AAResident_IsRefusedTheHeatingSubsidyWithTheReason()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();
        t.Consent(r);
        t.Credit(r, 30);

        var d = (await t.Engine.DecideEligibilityAsync("HEATING-SUBSIDY", r)).Value!;

        Assert.False(d.Eligible);
        Assert.Equal(("tier", false, "tier AA is below AAA"), (d.Reasons[0].Code, d.Reasons[0].Met, d.Reasons[0].Message));
        Assert.True((await t.Engine.DecideEligibilityAsync("LIBRARY-DEPOSIT-FREE", r)).Value!.Eligible);
    }

    [Fact]
    public async Task Decide_Unrated_IsEligibleForNothingCreditBased()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();
        t.Credit(r, 60);

        var d = (await t.Engine.DecideEligibilityAsync("LIBRARY-DEPOSIT-FREE", r)).Value!;

        Assert.False(d.Eligible);
        Assert.False(d.Rated);
        Assert.Null(d.Score);
        Assert.Equal("unrated: no consent to credit scoring", Assert.Single(d.Reasons).Message);
    }

    [Fact]
    public async Task Revoke_MakesTheResidentUnratedFromThenOnAndLeavesPastDecisionsAsTheyWere()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();
        t.Consent(r);
        t.Credit(r, 50);
        var before = (await t.Engine.DecideEligibilityAsync("HEATING-SUBSIDY", r)).Value!;
        var consentedAt = t.Clock.GetCurrentInstant();
        t.Clock.Advance(Duration.FromDays(1));

        await t.Engine.RevokeConsentAsync(r, "staff-1");

        var after = (await t.Engine.DecideEligibilityAsync("HEATING-SUBSIDY", r)).Value!;
        var asOfBefore = (await t.Engine.DecideEligibilityAsync("HEATING-SUBSIDY", r, consentedAt)).Value!;
        Assert.False(t.Standing(r).Rated);
        Assert.False(after.Eligible);
        Assert.True(asOfBefore.Eligible);
        Assert.True(t.Engine.GetEligibilityDecision(before.Id)!.Eligible);
        Assert.False(t.Engine.GetConsent(r)!.Granted);
    }

    [Fact]
    public async Task Decide_AsOfAPastInstant_IsNotChangedByRecordsLearntLater()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();
        t.Consent(r);
        t.Credit(r, 50);
        var asOf = t.Clock.GetCurrentInstant();
        t.Clock.Advance(Duration.FromDays(3));
        t.Credit(r, -30, validFrom: asOf - Duration.FromDays(1));

        var d = (await t.Engine.DecideEligibilityAsync("HEATING-SUBSIDY", r, asOf)).Value!;

        Assert.True(d.Eligible);
        Assert.Equal(1050L, d.Score);
    }

    [Fact]
    public async Task Decide_UnknownBenefitOrResident_IsRefused()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();

        var benefit = await t.Engine.DecideEligibilityAsync("FREE-LUNCH", r);
        var resident = await t.Engine.DecideEligibilityAsync("HEATING-SUBSIDY", new ResidentId("ghost"));

        Assert.Equal(("code", RefusalCode.InvalidArgument), (benefit.Refusal!.Field, benefit.Refusal.Code));
        Assert.Equal(RefusalCode.UnknownResident, resident.Refusal!.Code);
    }

    [Fact]
    public async Task Decide_BenefitWithTierAndStarMinima_NeedsBoth()
    {
        var rules = Repo.CopyRules();
        RulesLoaderTests.Edit(rules, new("benefits.json", "\"benefits\": [", "\"benefits\": [\n    { \"code\": \"MODEL-VOLUNTEER\", \"nameZh\": \"模范志愿者礼遇\", \"nameEn\": \"Model volunteer\", \"minTier\": \"AA\", \"minStars\": 1 },"));
        using var t = TestEngine.Create(rules: rules);
        var both = t.NewResident("both");
        var tierOnly = t.NewResident("tier-only");
        var starsOnly = t.NewResident("stars-only");
        foreach (var r in new[] { both, tierOnly, starsOnly })
        {
            t.Consent(r);
        }

        t.Credit(both, 30);
        t.Credit(tierOnly, 30);
        StarsTests.Serve(t, [both, starsOnly], 100m);

        var decisions = (await t.Engine.DecideEligibilityBatchAsync("MODEL-VOLUNTEER", [both, tierOnly, starsOnly])).Value!.Decisions;

        Assert.Equal([true, false, false], decisions.Select(d => d.Eligible));
        Assert.Equal(["tier:True", "stars:True"], decisions[0].Reasons.Select(x => $"{x.Code}:{x.Met}"));
        Assert.Equal(["tier:True", "stars:False"], decisions[1].Reasons.Select(x => $"{x.Code}:{x.Met}"));
        Assert.Equal(["tier:False", "stars:True"], decisions[2].Reasons.Select(x => $"{x.Code}:{x.Met}"));
    }

    [Fact]
    public async Task DecideBatch_TenThousandResidents_AnswersEachInRequestOrder()
    {
        using var t = TestEngine.Create();
        var residents = (await Task.WhenAll(Enumerable.Range(0, 10_000).Select(i =>
            t.Engine.RegisterResidentAsync(TestEngine.Community, "居民" + i, new ResidentId("b" + i))))).Select(r => r.Value!.Id).ToList();
        await Task.WhenAll(residents.Where((_, i) => i % 2 == 0).Select(r => t.Engine.GrantConsentAsync(r, "staff-1")));
        await Task.WhenAll(residents.Where((_, i) => i % 3 == 0).Select(r =>
            t.Engine.RecordCreditAsync(new ManualCreditRequest(r, 50, "model", "DOC", "staff-1", "c-" + r.Value))));
        var asked = residents.AsEnumerable().Reverse().Append(new ResidentId("nobody")).Take(10_000).ToList();

        var batch = (await t.Engine.DecideEligibilityBatchAsync("HEATING-SUBSIDY", asked)).Value!.Decisions;

        Assert.Equal(asked, batch.Select(d => d.Resident));
        for (var k = 0; k < batch.Count; k++)
        {
            var i = int.Parse(asked[k].Value[1..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(i % 2 == 0 && i % 3 == 0, batch[k].Eligible);
            Assert.Equal(i % 2 == 0, batch[k].Rated);
        }

        Assert.Equal(10_000, batch.Select(d => d.Id).Distinct().Count());
        Assert.Equal(batch[^1], t.Engine.GetEligibilityDecision(batch[^1].Id)! with { Reasons = batch[^1].Reasons });
    }

    [Fact]
    public async Task DecideBatch_OverTenThousand_IsRefused()
    {
        using var t = TestEngine.Create();

        var result = await t.Engine.DecideEligibilityBatchAsync("HEATING-SUBSIDY", Enumerable.Range(0, 10_001).Select(i => new ResidentId("x" + i)).ToList());

        Assert.Equal("residents", result.Refusal!.Field);
    }
}
