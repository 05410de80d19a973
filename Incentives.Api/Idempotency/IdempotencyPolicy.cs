using Incentives.Api.OpenApi;

namespace Incentives.Api.Idempotency;

/// <summary>How a route treats the <c>Idempotency-Key</c> header.</summary>
internal enum IdempotencyPolicy
{
    /// <summary>A retry would duplicate something (a stock receipt, a resident, an award): the key is required.</summary>
    Required,

    /// <summary>The key is optional; when sent, a retry answers the first response.</summary>
    Honoured,

    /// <summary>A POST that changes nothing (a preview, a lookup): the key is ignored.</summary>
    ReadOnly,

    /// <summary>The response must not be stored (it carries a secret shown once); the reason says which.</summary>
    Exempt,
}

/// <summary>Endpoint metadata: the route's idempotency policy, and for <see cref="IdempotencyPolicy.Exempt"/> why.</summary>
/// <param name="Policy">The policy.</param>
/// <param name="Reason">Why a route is exempt.</param>
internal sealed record IdempotencyMetadata(IdempotencyPolicy Policy, string? Reason = null);

internal static class IdempotencyEndpointExtensions
{
    /// <summary>Declares the route's idempotency policy; every write route must declare one (a test enumerates them).
    /// A route that takes the key may answer 400 (a missing required key, a malformed one) and 409 (the key used with
    /// another request).</summary>
    public static TBuilder Idempotency<TBuilder>(this TBuilder builder, IdempotencyPolicy policy, string? reason = null)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(new IdempotencyMetadata(policy, reason));
        return policy is IdempotencyPolicy.Required or IdempotencyPolicy.Honoured
            ? builder.ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict)
            : builder;
    }
}
