using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Incentives.Api.Security;
using Incentives.Catalog;
using Incentives.Credit;
using Incentives.Governance;
using Incentives.Ledger;
using Incentives.Mall;
using Incentives.Rules;
using NodaTime;

namespace Incentives.Api.Demo;

/// <summary>Demo data: two communities in Asia/Shanghai, a store each with 12 items, 25 residents each with kiosk
/// cards, PINs and synthetic ID numbers, some history, API keys for every role, and three staff accounts per community
/// (recorder, reviewer, manager) with random passwords, listed only in the key file.</summary>
internal sealed class DemoSeeder(IncentivesEngine engine, ApiStore store, Secrets secrets, StaffAccounts staff, IClock clock)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public const int ResidentsPerCommunity = 25;

    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡"];
    private static readonly string[] Given = ["秀英", "桂兰", "建国", "志强", "丽", "敏", "军", "静", "强", "磊", "洋", "艳", "勇", "杰", "娟", "涛", "明", "超", "霞", "平"];

    // Demo staff of each community, by role: east first, then west.
    private static readonly string[][] StaffNames = [["王芳", "李娜", "张伟"], ["刘洋", "陈静", "杨帆"]];

    private static readonly ItemDefinition[] Items =
    [
        new("RICE", "大米 5kg", "Rice 5 kg", 30, ItemKind.Goods),
        new("OIL", "食用油 5L", "Cooking oil 5 L", 50, ItemKind.Goods, MinTier: "AA", TierPrices: [new TierPrice("AAA", 80)]),
        new("SOAP", "洗衣皂", "Laundry soap", 5, ItemKind.Goods, Limit: new PurchaseLimit(2, PeriodKind.Month)),
        new("TOWEL", "毛巾", "Towel", 8, ItemKind.Goods),
        new("NOODLES", "挂面", "Noodles", 6, ItemKind.Goods),
        new("EGGS", "鸡蛋一盒", "Box of eggs", 15, ItemKind.Goods),
        new("TOOTHPASTE", "牙膏", "Toothpaste", 10, ItemKind.Goods),
        new("DETERGENT", "洗衣液", "Detergent", 25, ItemKind.Goods, TierPrices: [new TierPrice("AAA", 80), new TierPrice("AA", 90)]),
        new("HAIRCUT", "理发券", "Haircut voucher", 20, ItemKind.Service),
        new("HEALTH-CHECK", "体检券", "Health-check voucher", 60, ItemKind.Service, MinTier: "A"),
        new("UMBRELLA", "爱心雨伞", "Umbrella (loan)", 0, ItemKind.Loan, MinTier: "A", LoanDays: 7),
        new("TOOLKIT", "共享工具箱", "Tool kit (loan)", 0, ItemKind.Loan, MinTier: "AA", LoanDays: 3),
    ];

    public async Task<string> SeedAsync()
    {
        var admin = store.CreateKey(Role.Admin, string.Empty).Key;
        var partner = store.CreateKey(Role.Partner, "subsidy-office").Key;
        var communities = new List<object>();
        var n = 0;
        foreach (var (id, name, prefix) in new[] { ("east", "东城社区", "E"), ("west", "西城社区", "W") })
        {
            var community = new CommunityId(id);
            await Must(engine.RegisterCommunityAsync(community, name));
            var storeId = new StoreId(id + "-mall");
            await Must(engine.CreateStoreAsync(storeId, community, name + "积分超市"));
            foreach (var item in Items)
            {
                await Must(engine.DefineItemAsync(storeId, item, "demo"));
                await Must(engine.ChangeStockAsync(storeId, item.Sku, StockChangeKind.Receive, item.Kind == ItemKind.Loan ? 5 : 40, "demo", Endpoints.MallEndpoints.OpeningStock, $"demo-stock-{storeId}-{item.Sku}"));
            }

            // The residents of a community are seeded concurrently: their commands share the writer's batches (and its
            // fsyncs) instead of paying one each, which makes the first start several times faster.
            var seeds = Enumerable.Range(1, ResidentsPerCommunity).Select(i => (i, n: n + i - 1)).ToList();
            n += ResidentsPerCommunity;
            var residents = await Task.WhenAll(seeds.Select(async s =>
            {
                var (i, k) = s;
                var residentId = new ResidentId($"{id}-{i:D3}");
                await Must(engine.RegisterResidentAsync(community, Surnames[k % Surnames.Length] + Given[(k * 7) % Given.Length], residentId));
                var card = $"{prefix}{10000 + i}";
                var pin = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
                var idNumber = IdNumber(k);
                // Upserts: seeding again after an interrupted first start gives each card a new PIN, listed in the new key file.
                store.Write(() =>
                {
                    store.Cards.Upsert(new CardDoc { Id = card, Resident = residentId.Value, PinHash = Secrets.HashPin(pin) });
                    return store.IdNumbers.Upsert(new IdNumberDoc { Id = secrets.HashIdNumber(idNumber), Resident = residentId.Value });
                });
                await History(residentId, i);
                return (object)new { id = residentId.Value, cardNumber = card, pin, idNumber };
            }));

            await GovernanceLoop(id);
            communities.Add(new
            {
                id,
                staffKey = store.CreateKey(Role.Staff, id).Key,
                stores = new[] { new { id = storeId.Value, kioskKey = store.CreateKey(Role.Kiosk, storeId.Value).Key } },
                residents,
                staff = Staff(id, StaffNames[communities.Count]),
            });
        }

        return JsonSerializer.Serialize(new { admin, partner, communities }, Json);
    }

    // {community}-recorder, -reviewer, -manager. Upserts: seeding again after an interrupted first start gives each a new
    // password, listed in the new key file. The passwords go only there (written owner-only), never to a log.
    private object[] Staff(string community, string[] names) =>
    [
        .. Enum.GetValues<StaffRole>().Select(role =>
        {
            var id = $"{community}-{role.ToString().ToLowerInvariant()}";
            var password = Secrets.NewKey()[..16];
            staff.Upsert(new StaffMember(id, names[(int)role], role, community), password);
            return (object)new { id, name = names[(int)role], role = role.ToString().ToLowerInvariant(), password };
        }),
    ];

    // Most residents consent to credit scoring; every one has some history; a few are AAA, one has a deduction.
    private async Task History(ResidentId r, int i)
    {
        if (i % 5 != 0)
        {
            await engine.GrantConsentAsync(r, "demo");
        }

        var now = clock.GetCurrentInstant();
        var records = new (string Indicator, decimal Quantity, int DaysAgo)[]
        {
            ("VOL-01", 2.5m + (i % 4), 12), ("GOV-01", 1, 9), ("ENV-02", 1, 6), ("FAM-02", 1 + (i % 3), 3), ("CIV-03", 1, 1),
        };
        foreach (var (indicator, quantity, daysAgo) in records)
        {
            await engine.AwardAsync(new AwardRequest(r, new IndicatorCode(indicator), quantity, "demo", $"demo-{r}-{indicator}", now - Duration.FromDays(daysAgo)));
        }

        await engine.AdjustAsync(new AdjustmentRequest(r, 40 + (i * 3), "纸质台账期初积分", "demo", $"demo-{r}-opening"));
        if (i % 4 == 1)
        {
            await engine.RecordCreditAsync(new ManualCreditRequest(r, 50, "社区文明模范 (演示)", "DEMO-2026-01", "demo", $"demo-{r}-model"));
        }
        else if (i % 4 == 2)
        {
            await engine.RecordCreditAsync(new ManualCreditRequest(r, 30, "志愿服务表彰 (演示)", "DEMO-2026-02", "demo", $"demo-{r}-commend"));
        }

        if (i == 7)
        {
            await engine.AwardAsync(new AwardRequest(r, new IndicatorCode("CIV-05"), 1, "demo", $"demo-{r}-parking", now - Duration.FromDays(2)));
        }

        // Warnings first (docs/governance.md): a first dog-keeping offence is a recorded warning, 0 points.
        if (i == 8)
        {
            await engine.AwardAsync(new AwardRequest(r, new IndicatorCode("CIV-04"), 1, "demo", $"demo-{r}-dog", now - Duration.FromDays(4)));
        }
    }

    /// <summary>A few records in each state of the governance loop (docs/governance.md), so a new user sees the loop on
    /// first start: submitted (the review queue), pending (the posting board), objected, confirmed and voided after
    /// objections, rejected; an open appeal and a decided one. The people are the community's demo staff accounts.</summary>
    private async Task GovernanceLoop(string community)
    {
        var (recorder, reviewer, manager) = ($"{community}-recorder", $"{community}-reviewer", $"{community}-manager");
        ResidentId R(int i) => new($"{community}-{i:D3}");
        string Key(string what) => $"demo-loop-{community}-{what}";
        async Task<long?> Submit(string what, int resident, string indicator, decimal quantity, int daysAgo)
        {
            var result = await engine.SubmitAsync(new AwardRequest(R(resident), new IndicatorCode(indicator), quantity, recorder, Key(what),
                clock.GetCurrentInstant() - Duration.FromDays(daysAgo), "demo: " + what));
            return result.Value?.Record?.Id;
        }

        async Task<long?> Posted(string what, int resident, string indicator, decimal quantity, int daysAgo)
        {
            if (await Submit(what, resident, indicator, quantity, daysAgo) is not { } id)
            {
                return null;
            }

            await engine.ApproveAsync(new ReviewRequest(id, reviewer, Key(what + "-approve")));
            return id;
        }

        // 审核: waiting for a second person.
        await Submit("adopted-proposal", 2, "GOV-02", 1, 1);
        await Submit("blood-donation", 3, "VOL-05", 1, 2);
        if (await Submit("double-entry", 10, "GOV-02", 1, 2) is { } rejected)
        {
            await engine.RejectAsync(new ReviewRequest(rejected, reviewer, Key("double-entry-reject"), "同一建议已于上月记录 (重复录入)"));
        }

        // 公示: posted in public, one of them objected to by a neighbour.
        await Posted("public-project", 4, "VOL-03", 1, 3);
        await Posted("littering", 6, "ENV-04", 1, 1);
        if (await Posted("grid-duty", 11, "GOV-04", 1, 5) is { } objected)
        {
            await engine.ObjectAsync(new ObjectionRequest(objected, R(12).Value, "本月楼栋长由他人代理, 请核实", Key("grid-duty-object")));
        }

        // Decisions on objections: one confirmed, one voided.
        foreach (var (what, resident, confirm) in new[] { ("civil-family", 13, true), ("mediation-award", 14, false) })
        {
            if (await Posted(what, resident, what == "civil-family" ? "CIV-01" : "FAM-03", 1, 6) is { } id)
            {
                await engine.ObjectAsync(new ObjectionRequest(id, R(resident + 1).Value, "请核实", Key(what + "-object")));
                await engine.DecideObjectionAsync(new ObjectionDecisionRequest(id, confirm, confirm ? "经核实属实, 予以确认" : "经核实不属实, 作废", manager, Key(what + "-decide")));
            }
        }

        // 复核: resident 7's parking deduction is under appeal; resident 9's was reduced on appeal.
        foreach (var (resident, decide) in new[] { (7, false), (9, true) })
        {
            if (decide)
            {
                await engine.AwardAsync(new AwardRequest(R(resident), new IndicatorCode("CIV-05"), 1, recorder, Key("parking-" + resident), clock.GetCurrentInstant() - Duration.FromDays(1)));
            }

            var deductions = engine.GetStatement(new StatementQuery(R(resident), Kind: EntryKind.Deduction)).Items;
            var deduction = deductions.Count > 0 ? deductions[0] : null;
            if (deduction is null)
            {
                continue;
            }

            var appeal = await engine.AppealAsync(new AppealRequest(R(resident), deduction.Id.Value, null, "车辆临时停靠卸货, 并非占用消防通道", R(resident).Value, Key("appeal-" + resident)));
            if (decide && appeal.Value is { } open)
            {
                await engine.DecideAppealAsync(new AppealDecisionRequest(open.Id, AppealStatus.Reduced, "临时停靠, 情节轻微, 减为 2 分", manager, Key("appeal-decide-" + resident), ReducedTo: 2));
            }
        }
    }

    /// <summary>A synthetic 18-character ID number with a valid ISO 7064 MOD 11-2 check character (not a real person).</summary>
    private static string IdNumber(int n)
    {
        var body = $"110105{1950 + (n % 50):D4}{1 + (n % 12):D2}{1 + (n % 28):D2}{900 + n:D3}";
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var sum = 0;
        for (var k = 0; k < 17; k++)
        {
            sum += (body[k] - '0') * weights[k];
        }

        return body + "10X98765432"[sum % 11];
    }

    // Seeding again after an interrupted first start finds what the first attempt made: that is fine.
    private static async Task Must<T>(Task<CommandResult<T>> task)
        where T : class
    {
        var result = await task;
        if (!result.Succeeded && result.Refusal!.Code != RefusalCode.AlreadyExists)
        {
            throw new InvalidOperationException($"demo data: {result.Refusal!.Message}");
        }
    }
}
