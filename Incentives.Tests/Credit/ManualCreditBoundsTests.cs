using Incentives.Credit;
using Incentives.Rules;
using Incentives.Tests.Support;

namespace Incentives.Tests.Credit;

/// <summary>Found by the hostile-input test when the routes opened: int.MinValue overflowed Math.Abs (a 500).</summary>
public sealed class ManualCreditBoundsTests
{
    [Theory]
    [InlineData(int.MinValue)]
    [InlineData(int.MaxValue)]
    [InlineData(-1001)]
    [InlineData(0)]
    public async Task ManualRecord_WithADeltaOutsideItsRange_IsRefusedNamingDelta(int delta)
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();

        var result = await t.Engine.RecordCreditAsync(new ManualCreditRequest(r, delta, "reason", "DOC", "staff-1", t.NextKey()));

        Assert.Equal(RefusalCode.InvalidArgument, result.Refusal!.Code);
        Assert.Equal("delta", result.Refusal.Field);
    }

    [Fact]
    public async Task Repair_WithNewDeltaIntMinValue_IsRefusedNamingNewDelta()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();
        var record = (await t.Engine.RecordCreditAsync(new ManualCreditRequest(r, -50, "reason", "DOC", "staff-1", t.NextKey()))).Value!;

        var result = await t.Engine.RepairCreditAsync(new CreditRepairRequest(record.Id, int.MinValue, null, "repair", "DOC", "staff-1", t.NextKey()));

        Assert.Equal("newDelta", result.Refusal!.Field);
    }
}
