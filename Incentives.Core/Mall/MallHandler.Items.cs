using Incentives.Catalog;
using System.Text.Json;
using Incentives.Credit;
using Incentives.Mall;
using Incentives.Ledger;
using Incentives.Rules;
using Incentives.Storage;
using Incentives.Utility;

namespace Incentives.Mall;

/// <summary>
/// The mall's commands: stores, item definitions and the stock journal; reservations (reserve, fulfil, cancel, lapse)
/// and loans; the work that falls due with time. Runs on the writer thread, inside its unit of work; the journal
/// entries a hand-over or an expiry makes are posted through the ledger.
/// </summary>
internal sealed partial class MallHandler(IStore store, CatalogHistory catalogs, LedgerHandler ledger, CreditBook creditBook, LotBook lotBook, AccountState accounts)
{
    private readonly CreditBook _credit = creditBook;
    private readonly LotBook _lots = lotBook;

    private const int MaxNameLength = LedgerHandler.MaxNameLength;

    private const long MaxPrice = 1_000_000;

    public CommandResult<Store> CreateStore(CreateStoreCommand c)
    {
        if (store.Communities.FindById(c.Community.Value) is null)
        {
            return CommandResult<Store>.Refused(new Refusal(RefusalCode.UnknownCommunity, "communityId", $"no community '{c.Community}'", $"社区 '{c.Community}' 不存在"));
        }

        if (string.IsNullOrWhiteSpace(c.Name) || c.Name.Length > MaxNameLength)
        {
            return CommandResult<Store>.Refused(Invalid("name", $"a store needs a name of 1–{MaxNameLength} characters", $"超市名称须为 1–{MaxNameLength} 个字符"));
        }

        if (store.Stores.FindById(c.Id.Value) is not null)
        {
            return CommandResult<Store>.Refused(new Refusal(RefusalCode.AlreadyExists, "id", $"store '{c.Id}' already exists", $"超市 '{c.Id}' 已存在"));
        }

        store.Stores.Insert(new StoreDoc { Id = c.Id.Value, Community = c.Community.Value, Name = c.Name });
        return CommandResult<Store>.Ok(new Store(c.Id, c.Community, c.Name));
    }

    public CommandResult<StoreItem> DefineItem(DefineItemCommand c)
    {
        if (store.Stores.FindById(c.Store.Value) is null)
        {
            return CommandResult<StoreItem>.Refused(NotFound("storeId", $"no store '{c.Store}'", $"超市 '{c.Store}' 不存在"));
        }

        if (CheckItem(c.Item) is { } refusal)
        {
            return CommandResult<StoreItem>.Refused(refusal);
        }

        var key = MallMapping.ItemKey(c.Store, c.Item.Sku);
        var existing = store.Items.FindById(key);

        // Ids are found without regard to letter case (LiteDB's collation), so 'soy-sauce' finds 'SOY-SAUCE': one item
        // must not be renamed by a differently cased edit, whose caller thinks it is creating a new one.
        if (existing is not null && MallMapping.ToItem(existing).Definition.Sku is var stored && stored != c.Item.Sku)
        {
            return CommandResult<StoreItem>.Refused(new Refusal(RefusalCode.AlreadyExists, "sku",
                $"sku '{c.Item.Sku}' differs only in letter case from the existing item '{stored}': use '{stored}' to edit it, or choose another sku",
                $"商品编号 {c.Item.Sku} 与已有商品 {stored} 仅大小写不同: 编辑请用 {stored}, 否则换一个编号"));
        }

        if (existing is not null && c.CreateOnly)
        {
            var taken = MallMapping.ToItem(existing).Definition;
            return CommandResult<StoreItem>.Refused(new Refusal(RefusalCode.AlreadyExists, "sku",
                $"item '{c.Item.Sku}' already exists ({taken.NameEn}): edit it, or choose another sku",
                $"商品编号 {c.Item.Sku} 已用于 {taken.NameZh}; 要修改它请在表格中点\"编辑\", 否则换一个编号"));
        }

        var doc = existing ?? new ItemDoc { Id = key, Store = c.Store.Value };
        doc.Json = JsonSerializer.Serialize(c.Item, JsonSetup.Options);
        store.Items.Upsert(doc);
        return CommandResult<StoreItem>.Ok(MallMapping.ToItem(doc));
    }

    public CommandResult<StoreItem> ChangeStock(StockChangeCommand c)
    {
        var payload = PayloadHash.Sha256(string.Join('\u001f', "stock", c.Store.Value, c.Sku, c.Kind, c.Quantity, c.By, c.Reason));
        if (c.IdempotencyKey is { } key
            && Idempotency.Check(store, "stock:", key, payload, (IdempotencyDoc used) => MallMapping.ToItem(store.Items.Require(used.Ref))) is { } replay)
        {
            return replay;
        }

        if (store.Items.FindById(MallMapping.ItemKey(c.Store, c.Sku)) is not { } doc)
        {
            return CommandResult<StoreItem>.Refused(NotFound("sku", $"no item '{c.Sku}' in store '{c.Store}'", $"商品 '{c.Sku}' 不存在"));
        }

        var delta = c.Kind switch
        {
            StockChangeKind.Receive => c.Quantity,
            StockChangeKind.WriteOff => -c.Quantity,
            _ => c.Quantity,
        };
        var refusal = (c.Kind is StockChangeKind.Receive or StockChangeKind.WriteOff && c.Quantity <= 0) || c.Quantity == 0 || Math.Abs(c.Quantity) > MaxPrice
            ? Invalid("quantity", "the quantity must be positive for receipts and write-offs, and non-zero for corrections", "入库和报损的数量须大于 0, 盘点修正的数量不能为 0")
            : string.IsNullOrWhiteSpace(c.By) || string.IsNullOrWhiteSpace(c.Reason) ? Invalid("reason", "who and why are required for a stock change", "库存变动须填写原因")
            : doc.Stock + delta < 0 ? new Refusal(RefusalCode.OutOfStock, "quantity", $"only {doc.Stock} in stock", $"库存仅剩 {doc.Stock}") { Left = doc.Stock }
            : null;
        if (refusal is not null)
        {
            return CommandResult<StoreItem>.Refused(refusal);
        }

        doc.Stock += delta;
        if (c.Kind == StockChangeKind.Receive)
        {
            doc.Received += delta;
        }

        store.Items.Update(doc);
        var change = new StockChange(c.Store, c.Sku, c.Kind, delta, c.By, c.Reason, c.At);
        var changeId = store.Next("stockChangeId");
        store.StockChanges.Insert(new StockChangeDoc { Id = changeId, Item = doc.Id, Json = JsonSerializer.Serialize(change, JsonSetup.Options) });
        if (c.IdempotencyKey is { } k)
        {
            Idempotency.Remember(store, "stock:" + k, payload, changeId, doc.Id);
        }

        return CommandResult<StoreItem>.Ok(MallMapping.ToItem(doc));
    }

    private Refusal? CheckItem(ItemDefinition i)
    {
        var tiers = catalogs.Latest!.CreditTiers;
        bool KnownTier(string? t) => t is null || tiers.Tiers.Any(x => x.Code == t);
        return !Ids.IsValid(i.Sku) || i.Sku.Length > 32 ? Invalid("sku", "a sku is 1–32 of A–Z, a–z, 0–9, '-', '_'", "商品编号须为 1–32 位字母、数字、'-' 或 '_'")
            : string.IsNullOrWhiteSpace(i.NameZh) || string.IsNullOrWhiteSpace(i.NameEn) || i.NameZh.Length > MaxNameLength || i.NameEn.Length > MaxNameLength
                ? Invalid("nameZh", $"both names are required, each of at most {MaxNameLength} characters", $"中文名和英文名都须填写, 各不超过 {MaxNameLength} 个字符")
            : i.Price < 0 || i.Price > MaxPrice ? Invalid("price", $"the price must be 0–{MaxPrice} points", $"价格须为 0–{MaxPrice} 积分")
            : !KnownTier(i.MinTier) ? Invalid("minTier", $"unknown tier '{i.MinTier}'", $"信用等级 '{i.MinTier}' 不存在")
            : i.TierPrices?.Any(p => !KnownTier(p.Tier) || p.Percent is < 1 or > 100) == true ? Invalid("tierPrices", "each tier price needs a known tier and a percent of 1–100", "每个等级价须有存在的信用等级和 1–100 的折扣百分比")
            : i.Limit is { } l && (l.Quantity is < 1 or > 999 || l.Period == PeriodKind.Lifetime) ? Invalid("perResidentLimit", "a limit is 1–999 units per day, month or year", "每人限兑须为每日、每月或每年 1–999 件")
            : i.ActiveFrom is { } from && i.ActiveTo is { } to && to <= from ? Invalid("activeTo", "the active window ends before it starts", "下架时间须晚于上架时间")
            : i.Kind == ItemKind.Loan != i.LoanDays is not null || i.LoanDays is < 1 or > 365 ? Invalid("loanDays", "loans, and only loans, need loanDays of 1–365", "借用物品须填写 1–365 天的借期, 其他商品不填")
            : i.Picture is { } pic && !ItemDefinition.IsPictureName(pic) ? Invalid("picture", "a picture is named by the SHA-256 of its bytes: 64 lowercase hex digits", "图片编号无效 (应为 64 位十六进制 SHA-256), 请重新上传图片")
            : i.LowStockAt is < 0 or > (int)MaxPrice ? Invalid("lowStockAt", $"the low-stock mark is 0–{MaxPrice} units", $"库存预警值须为 0–{MaxPrice}")
            : i.OverdueIndicator is { } o && (i.Kind != ItemKind.Loan || catalogs.Latest.FindIndicator(o) is null) ? Invalid("overdueIndicator", $"'{o}' is not an indicator of the catalog, or the item is not a loan", $"逾期指标 '{o}' 不在指标目录中, 或该商品不是借用物品")
            : null;
    }

    private static Refusal Invalid(string field, string message, string messageZh) => new(RefusalCode.InvalidArgument, field, message, messageZh);

    private static Refusal NotFound(string field, string message, string messageZh) => new(RefusalCode.NotFound, field, message, messageZh);
}
