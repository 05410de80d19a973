using System.Reflection;
using Incentives.Api.Idempotency;
using Incentives.Api.Security;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi.Any;
using Microsoft.OpenApi.Models;
using NodaTime;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Incentives.Api.OpenApi;

/// <summary>
/// The OpenAPI document, <c>/swagger/v1/swagger.json</c>: every operation lists each status it can answer, with its
/// schema. Success bodies come from the handlers' typed results, error statuses from endpoint metadata
/// (<see cref="ProblemResponses"/>), all with the <see cref="Endpoints.ApiProblem"/> schema. The headers come from the
/// same metadata: <c>Idempotency-Key</c> (required or optional, by the route's <see cref="IdempotencyPolicy"/>) with
/// <c>Idempotent-Replayed</c> on its success answers, <c>X-Resident-Session</c> where a kiosk may call.
/// </summary>
internal static class ApiDocument
{
    private const string SecurityScheme = "ApiKey";

    public static IServiceCollection AddApiDocument(this IServiceCollection services)
    {
        // Schemas from the options the endpoints write with (camelCase enums, no unknown members), not MVC's defaults.
        services.AddSingleton<ISerializerDataContractResolver>(sp =>
            new JsonSerializerDataContractResolver(sp.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions));
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new()
            {
                Title = "Incentives API",
                Version = "v1",
                Description = "积分超市 / 信用+: points, mall and credit. Authenticate with the X-Api-Key header. Every error is an "
                    + "application/problem+json document (ApiProblem) with a stable code and a Chinese message.",
            });
            o.AddSecurityDefinition(SecurityScheme, new()
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyMiddleware.KeyHeader,
            });
            o.MapType<Instant>(() => new() { Type = "string", Format = "date-time" });
            o.MapType<LocalDate>(() => new() { Type = "string", Format = "date" });
            foreach (var assembly in new[] { typeof(ApiDocument).Assembly, typeof(IncentivesEngine).Assembly })
            {
                // The build writes both next to the dll; a copy without them still serves a document, without descriptions.
                var xml = Path.ChangeExtension(assembly.Location, ".xml");
                if (File.Exists(xml))
                {
                    o.IncludeXmlComments(xml);
                }
            }

            o.OperationFilter<HeadersFilter>();
            o.OperationFilter<OneBodyPerStatusFilter>();
            o.SchemaFilter<OneOfFilter>();
        });
        return services;
    }

    /// <summary>The key requirement where a key is needed, the idempotency and session headers, and Retry-After.</summary>
    private sealed class HeadersFilter : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
            var allow = metadata.OfType<AllowMetadata>().LastOrDefault();
            if (allow is not null)
            {
                operation.Security.Add(new() { [new() { Reference = new() { Type = ReferenceType.SecurityScheme, Id = SecurityScheme } }] = [] });
            }

            if (metadata.OfType<IdempotencyMetadata>().LastOrDefault() is { Policy: IdempotencyPolicy.Required or IdempotencyPolicy.Honoured } idempotency)
            {
                var required = idempotency.Policy == IdempotencyPolicy.Required;
                operation.Parameters.Add(new()
                {
                    Name = IdempotencyMiddleware.KeyHeader,
                    In = ParameterLocation.Header,
                    Required = required,
                    Description = (required ? "Required: a retry without it could apply the request twice. " : "Optional. ")
                        + "A retry with the same key answers the first successful answer again (Idempotent-Replayed: true); "
                        + "the same key with another request is a 409 idempotency-conflict.",
                    Schema = new() { Type = "string", MinLength = 1, MaxLength = IdempotencyMiddleware.MaxKeyLength, Pattern = "^[!-~]+$" },
                });
                foreach (var (_, response) in operation.Responses.Where(r => r.Key.StartsWith('2')))
                {
                    response.Headers[IdempotencyMiddleware.ReplayedHeader] = new()
                    {
                        Description = "true when this is the stored answer to an earlier request with the same Idempotency-Key",
                        Schema = new() { Type = "string", Enum = [new OpenApiString("true"), new OpenApiString("false")] },
                    };
                }
            }

            if (allow?.Roles.Contains(Role.Kiosk) == true)
            {
                operation.Parameters.Add(new()
                {
                    Name = ApiKeyMiddleware.SessionHeader,
                    In = ParameterLocation.Header,
                    Required = false,
                    Description = "At a kiosk: the token of the resident signed in (POST /api/v1/kiosk/sessions), for that resident's own data.",
                    Schema = new() { Type = "string", MaxLength = 128 },
                });
            }

            foreach (var (_, response) in operation.Responses.Where(r => r.Key is "429" or "503"))
            {
                response.Headers["Retry-After"] = new() { Description = "seconds to wait before retrying", Schema = new() { Type = "integer" } };
            }
        }
    }

    /// <summary>A route that answers one of two bodies with one status (credit: the full view, or the partner's view
    /// without the score) lists both as <c>oneOf</c>; the API explorer keeps only the last.</summary>
    private sealed class OneBodyPerStatusFilter : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            var bodies = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<IProducesResponseTypeMetadata>()
                .Where(m => m.Type is not null && m.Type != typeof(void))
                .GroupBy(m => m.StatusCode)
                .Where(g => g.Select(m => m.Type).Distinct().Count() > 1);
            foreach (var group in bodies)
            {
                var schema = new OpenApiSchema
                {
                    OneOf = [.. group.Select(m => m.Type!).Distinct().Select(t => context.SchemaGenerator.GenerateSchema(t, context.SchemaRepository))],
                };
                foreach (var (_, media) in operation.Responses[group.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)].Content)
                {
                    media.Schema = schema;
                }
            }
        }
    }

    /// <summary>Lists the names a <see cref="OneOfAttribute"/> field or query value takes.</summary>
    private sealed class OneOfFilter : ISchemaFilter
    {
        public void Apply(OpenApiSchema schema, SchemaFilterContext context)
        {
            var names = (context.MemberInfo?.GetCustomAttribute<OneOfAttribute>() ?? context.ParameterInfo?.GetCustomAttribute<OneOfAttribute>())?.Names;
            if (names is not null)
            {
                schema.Enum = [.. names.Select(n => (IOpenApiAny)new OpenApiString(n))];
            }
        }
    }
}
