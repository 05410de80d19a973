namespace Incentives.Api.Security;

/// <summary>A person signed in at the staff desk: who recorded what is named by <paramref name="Id"/>.</summary>
/// <param name="Id">The login id, e.g. <c>east-recorder</c>; also the caller's key id, so records name the person.</param>
/// <param name="Name">The display name, e.g. 王芳.</param>
/// <param name="Role">What the person may do.</param>
/// <param name="Community">The community the person works for: their scope.</param>
public sealed record StaffMember(string Id, string Name, StaffRole Role, string Community);
