using Incentives.Catalog;
using Incentives.Credit;
using Incentives.Ledger;
using Incentives.Mall;

namespace Incentives.Storage;

/// <summary>Hands each command to the handler of its capability. Writer thread only.</summary>
internal sealed class CommandDispatcher
{
    private readonly LedgerHandler _ledger;
    private readonly MallHandler _mall;
    private readonly CreditBook _credit;
    private readonly Governance.GovernanceHandler _governance;

    public CommandDispatcher(IStore store, CatalogHistory catalogs, LedgerKey key)
    {
        var accounts = new AccountState(store);
        var lots = new LotBook(store);
        _credit = new CreditBook(store, catalogs);
        _ledger = new LedgerHandler(store, catalogs, key, _credit, lots, accounts);
        _mall = new MallHandler(store, catalogs, _ledger, _credit, lots, accounts);
        _governance = new Governance.GovernanceHandler(store, catalogs, key, _ledger, _credit, lots, accounts);
    }

    public object Apply(LedgerCommand command) => command switch
    {
        RegisterCatalogCommand c => _ledger.RegisterCatalog(c),
        RegisterCommunityCommand c => _ledger.RegisterCommunity(c),
        RegisterResidentCommand c => _ledger.RegisterResident(c),
        SetResidentStatusCommand c => _ledger.SetResidentStatus(c),
        AwardCommand c => _ledger.Award(c),
        ReverseCommand c => _ledger.Reverse(c),
        AdjustCommand c => _ledger.Adjust(c),
        ManualCreditCommand c => _credit.RecordManual(c.Request, c.At),
        DirectGradingCommand c => _credit.GradeDirectly(c.Request, c.At),
        CreditRepairCommand c => _credit.Repair(c.Request, c.At),
        ConsentCommand c => _credit.SetConsent(c.Resident, c.Granted, c.By, c.At),
        EligibilityCommand c => _credit.DecideEligibility(c.Benefit, c.Residents, c.AsOf, c.At),
        StoreEligibilityCommand c => _credit.StoreEligibility(c.Decisions),
        CreateStoreCommand c => _mall.CreateStore(c),
        DefineItemCommand c => _mall.DefineItem(c),
        StockChangeCommand c => _mall.ChangeStock(c),
        ReserveCommand c => _mall.Reserve(c),
        CloseReservationCommand c => _mall.Close(c),
        ReturnLoanCommand c => _mall.ReturnLoan(c),
        DueWorkCommand c => DueWork(c),
        SubmitCommand c => _governance.Submit(c),
        ReviewCommand c => _governance.Review(c),
        ObjectCommand c => _governance.Object(c),
        DecideObjectionCommand c => _governance.DecideObjection(c),
        AppealCommand c => _governance.AppealRecord(c),
        DecideAppealCommand c => _governance.DecideAppeal(c),
        _ => throw new InvalidOperationException($"unknown command {command.GetType().Name}"),
    };

    // Postings first: a record confirmed now opens its lot before the expiry run looks at lots.
    private DueWorkReport DueWork(DueWorkCommand c)
    {
        var confirmed = _governance.ConfirmDue(c.At);
        return _mall.DueWork(c) with { ConfirmedPostings = confirmed };
    }
}
