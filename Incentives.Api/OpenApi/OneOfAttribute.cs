using System.Text.Json;

namespace Incentives.Api.OpenApi;

/// <summary>A string field (or query value) that takes one of a closed set of names: the OpenAPI schema lists them as
/// its <c>enum</c>, the wire stays a string. From an enum type the names are its members in camelCase, as the service
/// writes them; the service reads them in any case.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class OneOfAttribute : Attribute
{
    /// <summary>The names of the members of <paramref name="enumType"/>, in camelCase.</summary>
    /// <param name="enumType">An enum type.</param>
    public OneOfAttribute(Type enumType)
    {
        ArgumentNullException.ThrowIfNull(enumType);
        Names = [.. Enum.GetNames(enumType).Select(JsonNamingPolicy.CamelCase.ConvertName)];
    }

    /// <summary>These names, where only some members of an enum are allowed.</summary>
    /// <param name="names">The names.</param>
    public OneOfAttribute(params string[] names) => Names = names;

    /// <summary>The allowed names.</summary>
    public IReadOnlyList<string> Names { get; }
}
