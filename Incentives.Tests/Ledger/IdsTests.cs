using Incentives.Ledger;
using Incentives.Mall;

namespace Incentives.Tests.Ledger;

public sealed class IdsTests
{
    [Theory]
    [InlineData("r-1_A", true)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("a b", false)]
    [InlineData("居民", false)]
    [InlineData("../x", false)]
    public void TryParse_AcceptsExactlyTheFormTheConstructorAccepts(string? text, bool valid)
    {
        Assert.Equal(valid, ResidentId.TryParse(text, out var resident));
        Assert.Equal(valid, CommunityId.TryParse(text, out var community));
        Assert.Equal(valid, StoreId.TryParse(text, out var store));
        Assert.Equal(valid ? text : null, resident.Value);
        Assert.Equal(valid ? text : null, community.Value);
        Assert.Equal(valid ? text : null, store.Value);
        if (!valid && text is not null)
        {
            Assert.Throws<ArgumentException>(() => new ResidentId(text));
        }
    }

    [Fact]
    public void TryParse_TakesSixtyFourCharactersButNotSixtyFive()
    {
        Assert.True(ResidentId.TryParse(new string('a', 64), out _));
        Assert.False(ResidentId.TryParse(new string('a', 65), out _));
    }

    [Fact]
    public void TryGetValue_GivesTheValueOfASucceededCommand_AndNothingForARefusal()
    {
        var ok = new CommandResult<string> { Value = "done" };
        var refused = new CommandResult<string> { Refusal = new Incentives.Rules.Refusal(Incentives.Rules.RefusalCode.NotFound, "id", "no such thing", "不存在") };

        Assert.True(ok.TryGetValue(out var value));
        Assert.Equal("done", value);
        Assert.False(refused.TryGetValue(out var none));
        Assert.Null(none);
    }
}
