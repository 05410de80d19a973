using Incentives.Api.OpenApi;
using Incentives.Api.Security;

namespace Incentives.Api.Endpoints;

/// <summary>Body of <c>POST /staff</c>: a new staff account.</summary>
/// <param name="Id">The login id (工号): 2–32 of a–z, 0–9, '.', '_', '-', e.g. <c>east-wangfang</c>.</param>
/// <param name="Name">The display name, 1–40 characters, e.g. 王芳.</param>
/// <param name="Role">recorder, reviewer or manager.</param>
/// <param name="Community">The community the person works for.</param>
/// <param name="Password">At least 10 characters; stored only as a slow salted hash, never logged.</param>
public sealed record StaffBody(string? Id, string? Name, [property: OneOf(typeof(StaffRole))] string? Role, string? Community, string? Password);

/// <summary>A staff account as the API shows it: never its password or hash.</summary>
/// <param name="Id">The login id.</param>
/// <param name="Name">The display name.</param>
/// <param name="Role">recorder, reviewer or manager.</param>
/// <param name="Community">The community the person works for.</param>
/// <param name="Locked">True while the account is locked after repeated wrong passwords.</param>
public sealed record StaffView(string Id, string Name, [property: OneOf(typeof(StaffRole))] string Role, string Community, bool Locked);

/// <summary>Body of <c>POST /staff/{id}/password</c>.</summary>
/// <param name="Password">The new password, at least 10 characters.</param>
public sealed record PasswordBody(string? Password);

/// <summary>Body of <c>POST /staff-sessions</c>: sign in at the staff desk.</summary>
public sealed record StaffSignInBody(string? Id, string? Password);

/// <summary>Who is signed in at the desk; the session itself is the <c>incentives_staff</c> cookie.</summary>
/// <param name="Staff">The member signed in.</param>
/// <param name="IdleTimeoutSeconds">The session ends after this long without a request.</param>
public sealed record StaffSessionView(StaffView Staff, int IdleTimeoutSeconds);
