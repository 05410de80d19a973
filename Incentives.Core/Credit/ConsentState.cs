using Incentives.Ledger;
using NodaTime;

namespace Incentives.Credit;

/// <summary>Whether a resident consents to credit scoring (知情同意), since when and recorded by whom.</summary>
/// <param name="Resident">Who.</param>
/// <param name="Granted">True while consent is given.</param>
/// <param name="Since">When the current state began.</param>
/// <param name="By">Who recorded it.</param>
public sealed record ConsentState(ResidentId Resident, bool Granted, Instant Since, string By);
