using Incentives.Api.Security;
using NodaTime;

namespace Incentives.Tests.Api;

/// <summary>The API's store: reads never overlap writes (LiteDB faults, and loses read→update races, otherwise), keys
/// come from memory, and access-log rows are written in batches without loss.</summary>
public sealed class ApiStoreTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "incentives-apistore-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task ReadsWritesAndAccessRows_FromManyThreads_NeverFaultAndLoseNothing()
    {
        using var store = new ApiStore(_folder);
        var caller = new Caller("key_test", Role.Partner, "library");
        store.Write(() => store.Cards.Insert(new CardDoc { Id = "C1", Resident = "r1", PinHash = "x" }));

        var writers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 250; i++)
            {
                store.Write(() =>
                {
                    var card = store.Cards.FindById("C1");
                    card.Failures += 1;
                    return store.Cards.Update(card);
                });
                // New documents and a new collection's worth of pages while readers look.
                store.Write(() => store.IdNumbers.Insert(new IdNumberDoc { Id = Guid.NewGuid().ToString("N"), Resident = "r" + i }));
            }
        }));
        var readers = Enumerable.Range(0, 4).Select(reader => Task.Run(() =>
        {
            for (var i = 0; i < 500; i++)
            {
                Assert.NotNull(store.FindCard("C1"));
                Assert.Null(store.ResidentOfIdNumber("none-" + reader));
                store.LogAccess(caller, "r" + i, "credit", Instant.FromUnixTimeSeconds(i));
            }
        }));
        var flusher = Task.Run(() =>
        {
            for (var i = 0; i < 50; i++)
            {
                store.FlushAccessLog();
            }
        });
        await Task.WhenAll(writers.Concat(readers).Append(flusher));
        store.FlushAccessLog();

        Assert.Equal(1000, store.FindCard("C1")!.Failures);
        Assert.Equal(1000, store.Read(() => store.IdNumbers.Count()));
        Assert.Equal(2000, store.Read(() => store.Access.Count()));
    }

    [Fact]
    public void Keys_CreatedRevokedAndReopened_AreFoundFromMemoryAsTheDatabaseSays()
    {
        string kept, revoked;
        using (var store = new ApiStore(_folder))
        {
            kept = store.CreateKey(Role.Staff, "east").Key;
            var (id, key) = store.CreateKey(Role.Partner, "library");
            revoked = key;
            Assert.Equal(Role.Partner, store.FindKey(revoked)!.Role);

            Assert.True(store.RevokeKey(id));
            Assert.False(store.RevokeKey("key_none"));
            Assert.Null(store.FindKey(revoked));
        }

        using var reopened = new ApiStore(_folder);

        Assert.Equal(new Caller(reopened.FindKey(kept)!.KeyId, Role.Staff, "east"), reopened.FindKey(kept));
        Assert.Null(reopened.FindKey(revoked));
        Assert.Null(reopened.FindKey(kept + "x"));
    }

    [Fact]
    public void Dispose_WritesQueuedAccessRows()
    {
        using (var store = new ApiStore(_folder))
        {
            for (var i = 0; i < 1234; i++)
            {
                store.LogAccess(new Caller("key_x", Role.Staff, "east"), "r" + i, "statement", Instant.FromUnixTimeSeconds(i));
            }
        }

        using var reopened = new ApiStore(_folder);

        Assert.Equal(1234, reopened.Read(() => reopened.Access.Count()));
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
