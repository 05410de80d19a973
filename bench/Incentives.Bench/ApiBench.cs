using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Incentives.Bench;

/// <summary>
/// The HTTP figures: the built service started as its own process (as the README does, in Release) on a loopback
/// port and a fresh data folder (demo data), driven by 64 concurrent connections.
/// </summary>
internal sealed class ApiBench(Report report, BenchOptions options)
{
    private const int Connections = 64;

    public async Task Run()
    {
        var dll = Path.Combine(options.RepositoryRoot, "Incentives.Api", "bin", Machine.Configuration, "net10.0", "Incentives.Api.dll");
        if (!File.Exists(dll))
        {
            report.Fail($"{dll} is missing: build the service first (dotnet build -c {Machine.Configuration} Incentives.Api)");
            return;
        }

        var data = options.NewTempFolder("api-data");
        var port = FreePort();
        var baseUri = new Uri($"http://127.0.0.1:{port}");
        var log = new StringBuilder();
        using var service = StartService(dll, baseUri, data, log);
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = Connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        using var http = new HttpClient(handler) { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(60) };
        try
        {
            var started = Stopwatch.StartNew();
            var keys = await WaitUntilUp(http, service, data, log);
            report.Add("api_start_ms", started.Elapsed.TotalMilliseconds, "ms", ("note", "process start to /health answering and demo-keys.json written, fresh folder with demo data"));
            await Measure(http, service, keys);
        }
        finally
        {
            await Stop(service);
        }
    }

    private async Task Measure(HttpClient http, Process service, Keys keys)
    {
        // Enough residents for the award run not to reach the global caps (100 FAM-04 awards each a month).
        var extra = Enumerable.Range(1, options.Quick ? 300 : 4000).Select(i => $"bench-{i:D5}").ToArray();
        await Load.ForEach(extra.Length, Connections, async i =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/communities/{keys.Community}/residents")
            {
                Content = new StringContent($"{{\"displayName\":\"Bench {i}\",\"id\":\"{extra[i]}\"}}", Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-Api-Key", keys.Staff);
            request.Headers.Add("Idempotency-Key", "register-" + extra[i]);
            using var response = await http.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"registering {extra[i]}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        });

        var health = await Run(service, "api_health_get_per_s", async _ =>
        {
            using var response = await http.GetAsync(new Uri("/health", UriKind.Relative));
            await response.Content.LoadIntoBufferAsync();
            return response.StatusCode == HttpStatusCode.OK;
        });

        var tier = await Run(service, "api_tier_get_per_s", async s =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/credit/{keys.Residents[(int)(s % keys.Residents.Length)]}");
            request.Headers.Add("X-Api-Key", keys.Partner);
            using var response = await http.SendAsync(request);
            await response.Content.LoadIntoBufferAsync();
            return response.StatusCode == HttpStatusCode.OK;
        });

        var runId = Environment.TickCount64.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Run(service, "api_award_per_s", async s =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/awards")
            {
                Content = new StringContent($"{{\"residentId\":\"{extra[(int)(s % extra.Length)]}\",\"indicator\":\"FAM-04\",\"quantity\":1}}", Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-Api-Key", keys.Staff);
            request.Headers.Add("Idempotency-Key", $"bench-{runId}-{s}");
            using var response = await http.SendAsync(request);
            await response.Content.LoadIntoBufferAsync();
            return response.StatusCode == HttpStatusCode.Created;
        });

        report.Add("api_tier_vs_health_ratio", tier / health, "ratio", ("tier_per_s", tier), ("health_per_s", health));
    }

    private async Task<double> Run(Process service, string metric, Func<long, Task<bool>> call)
    {
        TimeSpan? serverAtStart = null;
        TimeSpan? serverAtEnd = null;
        var clientAtStart = TimeSpan.Zero;
        var clientAtEnd = TimeSpan.Zero;
        var result = await Load.ClosedLoop(Connections, options.ApiWarmup, options.ApiDuration, call,
            atStart: () =>
            {
                serverAtStart = Machine.CpuTimeOf(service.Id);
                clientAtStart = Process.GetCurrentProcess().TotalProcessorTime;
            },
            atEnd: () =>
            {
                serverAtEnd = Machine.CpuTimeOf(service.Id);
                clientAtEnd = Process.GetCurrentProcess().TotalProcessorTime;
            });
        var seconds = options.ApiDuration.TotalSeconds;
        var capacity = seconds * Environment.ProcessorCount;
        var serverCpu = serverAtEnd - serverAtStart;
        report.Add(metric, result.PerSecond, "req/s", ("connections", Connections), ("p50_ms", result.P50Ms), ("p99_ms", result.P99Ms), ("errors", result.Errors),
            ("server_cpu_share", serverCpu is { } sc ? sc.TotalSeconds / capacity : -1),
            ("client_cpu_share", (clientAtEnd - clientAtStart).TotalSeconds / capacity),
            ("server_cpu_us_per_req", serverCpu is { } c && result.Count > 0 ? c.TotalMilliseconds * 1000 / result.Count : -1));
        if (result.Errors > 0 || result.Count == 0)
        {
            report.Fail($"{metric}: {result.Errors} requests failed, {result.Count} succeeded; first failure: {result.FirstError}");
        }

        return result.PerSecond;
    }

    private Process StartService(string dll, Uri baseUri, string data, StringBuilder log)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = options.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { dll, "--urls", baseUri.ToString().TrimEnd('/'), "--data", data, "--rateLimitPerMinute", "100000000" })
        {
            start.ArgumentList.Add(a);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the service");
        process.OutputDataReceived += (_, e) => Append(log, e.Data);
        process.ErrorDataReceived += (_, e) => Append(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Append(StringBuilder log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            if (log.Length < 200_000)
            {
                log.AppendLine(line);
            }
        }
    }

    private static async Task<Keys> WaitUntilUp(HttpClient http, Process service, string data, StringBuilder log)
    {
        var keysFile = Path.Combine(data, "demo-keys.json");
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (service.HasExited)
            {
                throw new InvalidOperationException($"the service exited with {service.ExitCode}:\n{log}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("/health", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK && File.Exists(keysFile))
                {
                    return Keys.Read(keysFile);
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"the service did not answer /health within 90 s:\n{log}");
    }

    private static async Task Stop(Process service)
    {
        if (service.HasExited)
        {
            return;
        }

        // SIGTERM: a clean stop (the access log and the store are closed); SIGKILL if it takes too long.
        using (var term = Process.Start("kill", ["-TERM", service.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await service.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            service.Kill(entireProcessTree: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed record Keys(string Partner, string Staff, string Community, string[] Residents)
    {
        public static Keys Read(string path)
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    using var doc = JsonDocument.Parse(File.ReadAllText(path));
                    var root = doc.RootElement;
                    var communities = root.GetProperty("communities").EnumerateArray().ToList();
                    var residents = communities.SelectMany(c => c.GetProperty("residents").EnumerateArray().Select(r => r.GetProperty("id").GetString()!)).ToArray();
                    return new Keys(root.GetProperty("partner").GetString()!, communities[0].GetProperty("staffKey").GetString()!,
                        communities[0].GetProperty("id").GetString()!, residents);
                }
                catch (JsonException) when (attempt < 50)
                {
                    Thread.Sleep(100); // written atomically, but be patient with a half-visible file
                }
            }
        }
    }
}
