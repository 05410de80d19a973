using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Incentives.Tests.Support;

namespace Incentives.Tests.Reliability;

/// <summary>
/// A full disk, on a real small file system: a 48 MiB tmpfs mounted for the test (CI runs as root). The kernel answers
/// ENOSPC exactly as a full disk would, to the service's own file writes — which is why this beats a fault-injecting
/// stream: LiteDB, the command log and the API store see the real error where they really write. Before, ENOSPC on
/// the writer thread killed the process, and a restart on the still-full disk answered 500 to every call.
/// </summary>
[Collection(ServiceProcesses.Name)]
public sealed class DiskFullTests
{
    private const long Reserve = 8L << 20;

    [SkippableFact]
    public async Task Writes_BelowTheFreeSpaceReserve_Are507WhileReadsGoOn_AndResumeWithoutARestartOnceSpaceReturns()
    {
        using var disk = SmallDisk.Mount();
        await using var service = await ServiceProcess.StartAsync(["--no-demo", "--Incentives:MinFreeDiskBytes", Reserve.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            dataDirectory: Path.Combine(disk.Path, "data"));
        var admin = new Client(service, (await File.ReadAllTextAsync(Path.Combine(service.DataDirectory, "admin.key"))).Trim());
        var resident = await admin.SetUpAsync();
        Assert.Equal(201, await admin.AwardAsync(resident, "before"));

        var filler = disk.FillUntilFree(Reserve / 2);
        var refused = await admin.AwardAsync(resident, "while-full");
        var read = await service.Http.SendAsync(admin.Get($"/api/v1/residents/{resident}"));
        var health = await service.Http.GetFromJsonAsync<JsonElement>(new Uri("/health", UriKind.Relative));
        File.Delete(filler);
        var resumed = await admin.AwardAsync(resident, "while-full");

        Assert.Equal(507, refused);
        Assert.Equal(200, (int)read.StatusCode);
        Assert.Equal("degraded", health.GetProperty("status").GetString());
        Assert.Equal(201, resumed);
        Assert.True(service.IsRunning);
    }

    /// <summary>With the reserve turned off the disk fills completely: the command log's append meets ENOSPC (and LiteDB's
    /// own background page writes may too, which closes its engine). Writes are refused with a problem document and
    /// nothing is half-written; the process stays up; once space returns the engine reopens by itself and the
    /// refused request, retried with its key, is applied exactly once.</summary>
    [SkippableFact]
    public async Task FullDiskWithoutAReserve_RefusesWithProblemDocuments_StaysUp_ThenResumesByItself_AndAKillLosesNothingAcknowledged()
    {
        using var disk = SmallDisk.Mount();
        await using var service = await ServiceProcess.StartAsync(["--no-demo", "--Incentives:MinFreeDiskBytes", "0"], dataDirectory: Path.Combine(disk.Path, "data"));
        var admin = new Client(service, (await File.ReadAllTextAsync(Path.Combine(service.DataDirectory, "admin.key"))).Trim());
        var resident = await admin.SetUpAsync();
        Assert.Equal(201, await admin.AwardAsync(resident, "before"));

        var filler = disk.FillUntilFree(0);
        var refused = await admin.AwardAsync(resident, "while-full");
        var read = await service.Http.SendAsync(admin.Get($"/api/v1/residents/{resident}/statement"));
        File.Delete(filler);
        var retried = await admin.RetryUntilAppliedAsync(resident, "while-full");
        var after = await admin.AwardAsync(resident, "after");
        await service.KillAsync();
        await service.RestartAsync();
        var statement = await (await service.Http.SendAsync(admin.Get($"/api/v1/residents/{resident}/statement"))).Content.ReadFromJsonAsync<JsonElement>();
        var verify = await (await service.Http.SendAsync(admin.Get("/api/v1/admin/verify"))).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Contains(refused, new[] { 507, 503 });
        Assert.Contains((int)read.StatusCode, new[] { 200, 503 });
        Assert.Equal((201, 201), (retried, after));
        Assert.Equal(3, statement.GetProperty("total").GetInt64());
        Assert.True(verify.GetProperty("valid").GetBoolean(), verify.ToString());
    }

    private sealed class Client(ServiceProcess service, string key)
    {
        public HttpRequestMessage Get(string path)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("X-Api-Key", key);
            return request;
        }

        public async Task<string> SetUpAsync()
        {
            Assert.Equal(201, await PostAsync("/api/v1/communities", new { id = "full", name = "满盘社区" }, "community"));
            using var request = Request("/api/v1/communities/full/residents", new { displayName = "居民", id = "full-1" }, "resident");
            using var response = await service.Http.SendAsync(request);
            Assert.Equal(201, (int)response.StatusCode);
            return "full-1";
        }

        /// <summary>Retries with the same key while the answer is 503 (the store reopening, at most once a second).</summary>
        public async Task<int> RetryUntilAppliedAsync(string resident, string idempotencyKey)
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            int status;
            while ((status = await AwardAsync(resident, idempotencyKey)) is 503 or 507 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }

            return status;
        }

        public Task<int> AwardAsync(string resident, string idempotencyKey) =>
            PostAsync("/api/v1/awards", new { residentId = resident, indicator = "FAM-04", quantity = 1 }, idempotencyKey);

        private async Task<int> PostAsync(string path, object body, string idempotencyKey)
        {
            using var request = Request(path, body, idempotencyKey);
            using var response = await service.Http.SendAsync(request);
            if ((int)response.StatusCode >= 500)
            {
                var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
                Assert.True(problem.TryGetProperty("code", out _), problem + service.Log);
            }

            return (int)response.StatusCode;
        }

        private HttpRequestMessage Request(string path, object body, string idempotencyKey)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
            request.Headers.Add("X-Api-Key", key);
            request.Headers.Add("Idempotency-Key", idempotencyKey);
            return request;
        }
    }

    /// <summary>A 48 MiB tmpfs of the test's own, unmounted afterwards.</summary>
    private sealed class SmallDisk : IDisposable
    {
        private SmallDisk(string path) => Path = path;

        public string Path { get; }

        public static SmallDisk Mount()
        {
            var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "incentives-disk-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(path);
            var mounted = Run("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", path);
            if (Environment.GetEnvironmentVariable("CI") == "true")
            {
                Assert.True(mounted, "CI runs as root and must be able to mount a tmpfs for the disk-full tests");
            }

            Skip.IfNot(mounted, "mounting a tmpfs needs root (CI runs as root)");
            return new SmallDisk(path);
        }

        /// <summary>Fills the disk until at most <paramref name="free"/> bytes are left; returns the filler's path.</summary>
        public string FillUntilFree(long free)
        {
            var filler = System.IO.Path.Combine(Path, "filler");
            var block = new byte[1 << 16];
            using var stream = new FileStream(filler, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
            try
            {
                while (new DriveInfo(Path).AvailableFreeSpace > free + block.Length)
                {
                    stream.Write(block);
                }

                if (free == 0)
                {
                    while (true)
                    {
                        stream.Write(block, 0, 512);
                        stream.Flush();
                    }
                }
            }
            catch (IOException)
            {
                // ENOSPC: full, as asked.
            }

            return filler;
        }

        public void Dispose()
        {
            Run("umount", "-l", Path);
            Directory.Delete(Path, recursive: true);
        }

        private static bool Run(string command, params string[] args)
        {
            try
            {
                var start = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true };
                foreach (var a in args)
                {
                    start.ArgumentList.Add(a);
                }

                using var process = Process.Start(start)!;
                process.WaitForExit();
                return process.ExitCode == 0;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return false;
            }
        }
    }
}
