using Incentives.Api.Hosting;
using Incentives.Api.Idempotency;
using Incentives.Api.OpenApi;
using Incentives.Api.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace Incentives.Api.Endpoints;

/// <summary>The operator's routes while the service runs: a consistent backup under write load, and a full verify.</summary>
internal static class AdminEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/admin/backups", async Task<Results<Created<BackupView>, ProblemHttpResult>> (IncentivesEngine e, ApiStore store, IConfiguration config,
            IClock clock) =>
        {
            var data = Path.GetFullPath(config["data"] ?? "data");
            var root = Path.GetFullPath(config["backups"] ?? Path.Combine(data, "..", "backups"));
            var destination = Path.Combine(root, DataFolder.BackupName(clock.GetCurrentInstant()));
            if (Directory.Exists(destination))
            {
                return Problems.Conflict("backups", "already-exists", "a backup was taken this second already; try again", "本秒内已有备份, 请稍后再试");
            }

            Directory.CreateDirectory(root);
            DataFolder.Restrict(root, directory: true);
            var ledger = await e.BackupAsync(destination);
            var apiDigest = DataFolder.CopyApiFiles(store, data, destination);
            DataFolder.Restrict(destination, directory: true);
            return TypedResults.Created($"/api/v1/admin/backups/{Path.GetFileName(destination)}",
                new BackupView(destination, [.. ledger.Files, DataFolder.ApiFile, DataFolder.SecretFile], ledger.LastEntryId, ledger.Digest, apiDigest, ledger.TakenAt));
        }).Allow(Role.Admin).Idempotency(IdempotencyPolicy.Honoured).ProducesProblems(409, 503).WithTags("Admin");

        api.MapGet("/admin/verify", (IncentivesEngine e, ApiStore store) =>
        {
            var result = e.Verify();
            return TypedResults.Ok(new VerifyView(result.Valid, result.Entries, result.Residents, result.Problems, e.Digest(), ApiDigest.Of(store)));
        }).Allow(Role.Admin).ProducesProblems(503).WithTags("Admin");
    }
}

/// <summary>Response of <c>POST /admin/backups</c>: where the copy is, and the digests of the ledger state (balances,
/// chain heads, stock, ledger head) and of the API's keys and cards copied.</summary>
public sealed record BackupView(string Directory, IReadOnlyList<string> Files, long LastEntryId, string Digest, string ApiDigest, Instant TakenAt);

/// <summary>Response of <c>GET /admin/verify</c>, with the same two digests as a backup's.</summary>
public sealed record VerifyView(bool Valid, long Entries, long Residents, IReadOnlyList<string> Problems, string Digest, string ApiDigest);
