using System.Text.RegularExpressions;
using NodaTime;

namespace Incentives.Api.Security;

/// <summary>
/// Staff accounts in <c>api.db</c>: creating them, listing them, setting a password. Every read and write goes through
/// <see cref="ApiStore.Read{T}"/> and <see cref="ApiStore.Write{T}"/> (the store's lock discipline), and the slow
/// password hash is computed before the write lock is taken, so a create never holds up other writers for it. Signing
/// in is <see cref="StaffSignIn"/>'s.
/// </summary>
internal sealed partial class StaffAccounts(ApiStore store, StaffDirectory directory, StaffSessions sessions, IClock clock)
{
    public const int MinPassword = 10;
    public const int MaxPassword = 128;
    public const int MaxName = 40;

    /// <summary>The reasons an account's fields are refused, as (field, message, messageZh); null when they are fine.</summary>
    public static (string Field, string Message, string MessageZh)? Check(string? id, string? name, string? role, string? community, string? password)
    {
        if (id is null || !IdPattern().IsMatch(id))
        {
            return ("id", "a staff id is 2–32 of a–z, 0–9, '.', '_', '-', starting with a letter or digit, e.g. east-wangfang",
                "工号须为 2–32 位小写字母、数字或 . _ -, 以字母或数字开头, 例如 east-wangfang");
        }

        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxName || name.Any(char.IsControl))
        {
            return ("name", $"a name is 1–{MaxName} characters, e.g. 王芳", $"姓名须为 1–{MaxName} 个字符, 例如 王芳");
        }

        if (ParseRole(role) is null)
        {
            return ("role", "role is recorder, reviewer or manager", "角色须为 recorder (记录员)、reviewer (审核员) 或 manager (管理员)");
        }

        if (community is null || !Ledger.CommunityId.TryParse(community, out _))
        {
            return ("community", "community is a community id, e.g. east", "社区须为社区编号, 例如 east");
        }

        return PasswordProblem(password);
    }

    /// <summary>The password policy: at least <see cref="MinPassword"/> characters (and at most
    /// <see cref="MaxPassword"/>, so a sign-in never hashes a megabyte).</summary>
    public static (string Field, string Message, string MessageZh)? PasswordProblem(string? password) =>
        password is null || password.Length < MinPassword || password.Length > MaxPassword
            ? ("password", $"a password is {MinPassword}–{MaxPassword} characters", $"密码须为 {MinPassword}–{MaxPassword} 个字符")
            : null;

    /// <summary>"recorder", "reviewer" or "manager" (any case); null otherwise, numbers included.</summary>
    public static StaffRole? ParseRole(string? role) =>
        role is { Length: > 0 and <= 16 } && role.All(char.IsAsciiLetter) && Enum.TryParse<StaffRole>(role, ignoreCase: true, out var r) && Enum.IsDefined(r) ? r : null;

    /// <summary>Writes a new account. The fields must have passed <see cref="Check"/>.</summary>
    /// <returns>False when the id is taken (nothing is changed).</returns>
    public bool Create(StaffMember member, string password)
    {
        var hash = Secrets.HashPassword(password);
        var created = store.Write(() =>
        {
            if (store.Staff.FindById(member.Id) is not null)
            {
                return false;
            }

            store.Staff.Insert(new StaffDoc { Id = member.Id, Name = member.Name, StaffRole = member.Role, Community = member.Community, PasswordHash = hash });
            return true;
        });
        if (created)
        {
            directory.Add(member.Id, member.Name);
        }

        return created;
    }

    /// <summary>Like <see cref="Create"/>, but an existing account gets the new password: demo seeding run again after an
    /// interrupted first start lists new passwords, which must be the ones that work.</summary>
    public void Upsert(StaffMember member, string password)
    {
        var hash = Secrets.HashPassword(password);
        store.Write(() => store.Staff.Upsert(new StaffDoc { Id = member.Id, Name = member.Name, StaffRole = member.Role, Community = member.Community, PasswordHash = hash }));
        directory.Add(member.Id, member.Name);
    }

    public StaffDoc? Find(string id) => store.Read(() => store.Staff.FindById(id));

    /// <summary>The accounts of one community, or of all when <paramref name="community"/> is null, by id.</summary>
    public IReadOnlyList<StaffDoc> List(string? community) => store.Read(() =>
        (community is null ? store.Staff.FindAll() : store.Staff.Find(m => m.Community == community)).OrderBy(m => m.Id, StringComparer.Ordinal).ToList());

    /// <summary>Sets a new password, unlocks the account and signs its sessions out.</summary>
    /// <returns>The account, or null when there is none with this id.</returns>
    public StaffDoc? SetPassword(string id, string password)
    {
        var hash = Secrets.HashPassword(password);
        var doc = store.Write(() =>
        {
            if (store.Staff.FindById(id) is not { } m)
            {
                return null;
            }

            m.PasswordHash = hash;
            m.Failures = 0;
            m.LockedUntil = 0;
            store.Staff.Update(m);
            return m;
        });
        if (doc is not null)
        {
            sessions.CloseAll(id);
        }

        return doc;
    }

    public bool Locked(StaffDoc m) => Instant.FromUnixTimeTicks(m.LockedUntil) > clock.GetCurrentInstant();

    public static StaffMember MemberOf(StaffDoc m) => new(m.Id, m.Name, m.StaffRole, m.Community);

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._-]{1,31}\z", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
