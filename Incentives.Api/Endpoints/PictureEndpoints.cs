using System.Security.Cryptography;
using Incentives.Api.Idempotency;
using Incentives.Api.OpenApi;
using Incentives.Api.Security;
using Incentives.Mall;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace Incentives.Api.Endpoints;

/// <summary>
/// Goods pictures (商品图片): staff upload one (JPEG, PNG or WebP, at most <see cref="MaxBytes"/>), get its name — the
/// SHA-256 of the bytes — and put that name on an item; the kiosk shows it from <c>GET /pictures/{pictureId}</c>.
/// </summary>
/// <remarks>
/// The picture route needs no key: an <c>img</c> element cannot send one, and a picture of a bag of rice is no secret.
/// It is safe to leave open because a name is unguessable (a hash), says nothing about anyone, and always answers the
/// same bytes, so browsers cache it for a year. The type is read from the bytes, not from the upload's claim, and only
/// the three raster formats are accepted: an SVG (which can carry script) or an HTML file renamed .jpg is refused.
/// </remarks>
internal static class PictureEndpoints
{
    /// <summary>512 KiB: a kiosk tile needs far less; the desk scales photos down to 1024 px before sending them.</summary>
    public const int MaxBytes = 512 * 1024;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/stores/{storeId}/pictures", Upload).Allow(Role.Admin, Role.Staff)
            .Idempotency(IdempotencyPolicy.Exempt, "idempotent by content: the same bytes are the same picture, answered 200 with the same name")
            .Accepts<PictureForm>("multipart/form-data").DisableAntiforgery()
            .ProducesProblems(403, 404, 413, 415, 503).WithTags("Mall");

        // No ETag or 304: a name never changes its bytes, so "immutable" for a year means browsers do not ask again.
        api.MapGet("/pictures/{pictureId}", Results<FileContentHttpResult, ProblemHttpResult> (string pictureId, HttpContext http, ApiStore store) =>
        {
            if (!IsName(pictureId) || store.Read(() => store.Pictures.FindById(pictureId)) is not { } picture)
            {
                return Problems.NotFound("pictureId", $"no picture '{pictureId}'", "图片不存在");
            }

            var headers = http.Response.Headers;
            headers.CacheControl = "public, max-age=31536000, immutable";
            headers.ContentSecurityPolicy = "default-src 'none'";
            headers.XContentTypeOptions = "nosniff";
            return TypedResults.File(picture.Bytes, picture.ContentType);
        }).Produces<Stream>(StatusCodes.Status200OK, "image/jpeg", "image/png", "image/webp").ProducesProblems(404, 503).WithTags("Mall");
    }

    /// <summary>Whether <paramref name="name"/> has the form of a picture name (the engine's rule).</summary>
    public static bool IsName(string? name) => ItemDefinition.IsPictureName(name);

    /// <summary>Whether a picture of this name has been uploaded.</summary>
    public static bool Exists(ApiStore store, string name) => store.Read(() => store.Pictures.Exists(p => p.Id == name));

    /// <summary>The URL the kiosk loads a picture from.</summary>
    public static string? Url(string? name) => name is null ? null : "/api/v1/pictures/" + name;

    private static async Task<Results<Created<PictureView>, Ok<PictureView>, ProblemHttpResult>> Upload(string storeId, HttpContext http, Guard guard,
        ApiStore store, IClock clock)
    {
        var (_, problem) = guard.Store(http.Caller(), storeId);
        if (problem is not null)
        {
            return problem;
        }

        if (!http.Request.HasFormContentType)
        {
            return Unsupported("send the picture as multipart/form-data in the field 'file'", "请以 multipart/form-data 上传, 文件字段名为 file");
        }

        IFormFile? file;
        try
        {
            var files = (await http.Request.ReadFormAsync(http.RequestAborted)).Files;
            if (files.Count > 1)
            {
                // Two pictures in one upload: which one did the sender mean? Refuse rather than keep one silently.
                return Problems.BadRequest("file", "send one picture per upload", "每次只能上传一张图片");
            }

            file = files.GetFile("file");
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
        {
            return ex is BadHttpRequestException { StatusCode: 413 } ? TooLarge() : Problems.BadRequest("file", "the multipart body cannot be read", "上传内容无法读取 (file)");
        }

        if (file is null || file.Length == 0)
        {
            return Problems.BadRequest("file", "a picture (JPEG, PNG or WebP) is required in the field 'file'", "请选择图片 (file): JPEG、PNG 或 WebP");
        }

        if (file.Length > MaxBytes)
        {
            return TooLarge();
        }

        var bytes = new byte[file.Length];
        await using (var input = file.OpenReadStream())
        {
            await input.ReadExactlyAsync(bytes, http.RequestAborted);
        }

        if (TypeOf(bytes) is not { } contentType)
        {
            return Unsupported("the file is not a JPEG, PNG or WebP picture", "文件不是 JPEG、PNG 或 WebP 图片");
        }

        var name = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var by = http.Caller().KeyId;
        var at = clock.GetCurrentInstant().ToUnixTimeTicks();
        var created = store.Write(() =>
        {
            if (store.Pictures.FindById(name) is not null)
            {
                return false;
            }

            store.Pictures.Insert(new PictureDoc { Id = name, ContentType = contentType, Bytes = bytes, By = by, At = at });
            return true;
        });
        var view = new PictureView(name, Url(name)!, contentType, bytes.Length);
        return created ? TypedResults.Created(view.Url, view) : TypedResults.Ok(view);
    }

    // The formats by their first bytes (their "magic numbers").
    private static string? TypeOf(ReadOnlySpan<byte> b) =>
        b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF ? "image/jpeg"
        : b.Length >= 8 && b[..8].SequenceEqual((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) ? "image/png"
        : b.Length >= 12 && b[..4].SequenceEqual("RIFF"u8) && b[8..12].SequenceEqual("WEBP"u8) ? "image/webp"
        : null;

    private static ProblemHttpResult Unsupported(string message, string messageZh) =>
        Problems.Make(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", message, messageZh, "file");

    private static ProblemHttpResult TooLarge() =>
        Problems.Make(StatusCodes.Status413PayloadTooLarge, "payload-too-large", $"the picture is larger than {MaxBytes / 1024} KiB: make it smaller",
            $"图片超过 {MaxBytes / 1024} KiB, 请缩小后再上传", "file");
}

/// <summary>Form of <c>POST /stores/{storeId}/pictures</c>: the picture in the field <c>file</c>.</summary>
/// <param name="File">A JPEG, PNG or WebP picture of at most 512 KiB.</param>
public sealed record PictureForm(IFormFile File);

/// <summary>Response of <c>POST /stores/{storeId}/pictures</c>: the picture's name, to put on an item as
/// <c>picture</c>, and where it is served.</summary>
/// <param name="PictureId">The SHA-256 of the bytes, 64 lowercase hex digits.</param>
/// <param name="Url">Where the picture is served, without a key.</param>
/// <param name="ContentType">The type read from the bytes.</param>
/// <param name="Bytes">Its size.</param>
public sealed record PictureView(string PictureId, string Url, string ContentType, long Bytes);
