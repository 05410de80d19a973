using System.Net.Sockets;
using System.Text;
using Incentives.Tests.Support;

namespace Incentives.Tests.Api;

/// <summary>Issue 11, finding 8: every error the framework or the server decides is a problem document with
/// <c>type</c>, <c>code</c> and <c>messageZh</c> too (it used to be an empty body or a document without them).</summary>
public sealed class StatusProblemsTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData("GET", "/api/v1/no-such-route", null, 404, "route-not-found")]
    [InlineData("GET", "/no-such-page.html", null, 404, "route-not-found")]
    [InlineData("PUT", "/api/v1/awards", null, 405, "method-not-allowed")]
    [InlineData("GET", "/api/v1/keys", null, 405, "method-not-allowed")]
    [InlineData("POST", "/api/v1/awards/preview", "text/plain", 415, "unsupported-media-type")]
    [InlineData("POST", "/api/v1/awards/preview", "", 415, "unsupported-media-type")]
    [InlineData("POST", "/api/v1/awards/preview", "application/json", 400, "invalid-argument")]
    public async Task FrameworkStatus_IsAProblemDocument(string method, string path, string? contentType, int status, string code)
    {
        using var client = api.As(api.Admin);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Accept.ParseAdd("text/html");
        if (contentType is not null)
        {
            request.Content = new StringContent("{\"residentId\":", Encoding.UTF8);
            request.Content.Headers.ContentType = contentType.Length == 0 ? null : new(contentType);
        }

        using var response = await client.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, status, code);
    }

    [Fact]
    public async Task LongTargetAndLargeHeaders_Are414And431Problems()
    {
        using var client = api.As(api.Admin);
        using var headers = new HttpRequestMessage(HttpMethod.Get, "/api/v1/catalog");
        headers.Headers.Add("X-Padding", new string('h', 33 << 10));
        using var many = new HttpRequestMessage(HttpMethod.Get, "/api/v1/catalog");
        foreach (var i in Enumerable.Range(0, 101))
        {
            many.Headers.Add($"X-H{i}", "v");
        }

        using var target = await client.GetAsync(new Uri("/api/v1/catalog?pad=" + new string('p', 8 << 10), UriKind.Relative));
        using var large = await client.SendAsync(headers);
        using var counted = await client.SendAsync(many);

        await ProblemAssert.IsProblemAsync(target, 414, "uri-too-long");
        await ProblemAssert.IsProblemAsync(large, 431, "headers-too-large");
        await ProblemAssert.IsProblemAsync(counted, 431, "headers-too-large");
    }

    [Fact]
    public async Task EveryProblemHelper_CarriesCodeAndChinese()
    {
        using var anonymous = api.As(null);
        using var partner = api.As(api.Partner);
        using var admin = api.As(api.Admin);

        using var unauthorized = await anonymous.GetAsync(new Uri("/api/v1/catalog", UriKind.Relative));
        using var forbidden = await partner.GetAsync(new Uri("/api/v1/catalog", UriKind.Relative));
        using var notFound = await admin.GetAsync(new Uri("/api/v1/residents/nobody", UriKind.Relative));
        using var badRequest = await admin.GetAsync(new Uri("/api/v1/credit/east-001?asOf=yesterday", UriKind.Relative));

        await ProblemAssert.IsProblemAsync(unauthorized, 401, "unauthorized");
        await ProblemAssert.IsProblemAsync(forbidden, 403, "forbidden");
        await ProblemAssert.IsProblemAsync(notFound, 404, "not-found");
        await ProblemAssert.IsProblemAsync(badRequest, 400, "invalid-argument");
    }
}

/// <summary>The statuses only a real Kestrel produces: a chunked body over the limit (no Content-Length to check
/// early), a body sent too slowly, and the outer bound past which Kestrel itself answers, bare.</summary>
public sealed class KestrelStatusProblemsTests(DemoService service) : IClassFixture<DemoService>
{
    [Fact]
    public async Task ChunkedBodyOverTheLimit_Is413Problem()
    {
        var body = Encoding.UTF8.GetBytes("{\"evidence\":\"" + new string('x', (1 << 20) + 10) + "\"}");
        using var content = new StreamContent(new UnseekableStream(new MemoryStream(body)));
        content.Headers.ContentType = new("application/json");

        using var response = await service.SendAsync(HttpMethod.Post, "/api/v1/awards/preview", service.Admin, content);

        await ProblemAssert.IsProblemAsync(response, 413, "payload-too-large");
    }

    [Fact]
    public async Task BodySentTooSlowly_Is408Problem()
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync("127.0.0.1", service.Process.Port);
        var stream = socket.GetStream();
        var head = $"POST /api/v1/awards/preview HTTP/1.1\r\nHost: x\r\nX-Api-Key: {service.Admin}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"a\"";

        // Kestrel's minimum body data rate (240 bytes/s after a 5 s grace period) ends the wait.
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        var answer = await new StreamReader(stream, Encoding.UTF8).ReadToEndAsync();

        Assert.StartsWith("HTTP/1.1 408", answer, StringComparison.Ordinal);
        Assert.Contains("Content-Type: application/problem+json", answer, StringComparison.Ordinal);
        Assert.Contains("\"code\":\"request-timeout\"", answer, StringComparison.Ordinal);
        Assert.Contains("\"messageZh\"", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TargetPastKestrelsOwnBound_IsKestrelsBare414_AsDocumented()
    {
        using var within = await service.SendAsync(HttpMethod.Get, "/api/v1/catalog?pad=" + new string('p', 60 << 10), service.Admin);
        using var past = await service.SendAsync(HttpMethod.Get, "/api/v1/catalog?pad=" + new string('p', 64 << 10), service.Admin);

        await ProblemAssert.IsProblemAsync(within, 414, "uri-too-long");
        Assert.Equal(414, (int)past.StatusCode);
        Assert.Empty(await past.Content.ReadAsByteArrayAsync());
    }

    private sealed class UnseekableStream(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
