using Incentives.Api.Endpoints;
using Microsoft.AspNetCore.Http.Metadata;

namespace Incentives.Api.OpenApi;

/// <summary>
/// Error statuses as endpoint metadata, declared where they arise: the roles (<see cref="Security.Access.Allow{TBuilder}"/>:
/// 401, 403, 429), the idempotency policy (400, 409), the <c>/api/v1</c> group (400 for a bound; 413 and 415 for a
/// route that reads a JSON body) and each route for the rest (404, 409, 422, 503, 507). The OpenAPI document lists each
/// with the <see cref="ApiProblem"/> schema.
/// </summary>
internal static class ProblemResponses
{
    public const string ContentType = "application/problem+json";

    /// <summary>The route may answer these statuses, each with a problem document.</summary>
    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, params int[] statuses)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata([.. statuses.Select(Of)]);

    /// <summary>Every route of the group that reads a JSON body may answer 413 (over 1 MiB) and 415 (not JSON).</summary>
    public static TBuilder ProducesBodyProblems<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        // A finally convention sees the metadata the framework inferred from the handler, such as the body it accepts.
        builder.Finally(endpoint =>
        {
            if (endpoint.Metadata.OfType<IAcceptsMetadata>().Any())
            {
                endpoint.Metadata.Add(Of(StatusCodes.Status413PayloadTooLarge));
                endpoint.Metadata.Add(Of(StatusCodes.Status415UnsupportedMediaType));
            }
        });
        return builder;
    }

    private static ProducesResponseTypeMetadata Of(int status) => new(status, typeof(ApiProblem), [ContentType]);
}
