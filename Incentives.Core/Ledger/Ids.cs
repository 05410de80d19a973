using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Incentives.Ledger;

/// <summary>An opaque resident id (居民编号): 1–64 characters of letters, digits, '-' and '_'. Carries no personal data.</summary>
public readonly record struct ResidentId
{
    /// <summary>Creates an id after checking its form.</summary>
    /// <param name="value">The id text.</param>
    /// <exception cref="ArgumentException">The text is empty, too long or has other characters.</exception>
    public ResidentId(string value) => Value = Ids.Check(value, nameof(value));

    /// <summary>Reads an id without throwing: a resident id of the right form (the resident may still be unknown).</summary>
    /// <param name="text">The text, e.g. from a URL.</param>
    /// <param name="id">The id, when the text has the form.</param>
    /// <returns>Whether <paramref name="text"/> is 1–64 of A–Z, a–z, 0–9, '-', '_'.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, out ResidentId id)
    {
        id = Ids.IsValid(text) ? new ResidentId(text) : default;
        return id.Value is not null;
    }

    /// <summary>The id's text.</summary>
    public string Value { get; }

    /// <inheritdoc />
    public override string ToString() => Value;
}

/// <summary>A community id (社区编号), of the same form as <see cref="ResidentId"/>.</summary>
public readonly record struct CommunityId
{
    /// <summary>Creates an id after checking its form.</summary>
    /// <param name="value">The id text.</param>
    /// <exception cref="ArgumentException">The text is empty, too long or has other characters.</exception>
    public CommunityId(string value) => Value = Ids.Check(value, nameof(value));

    /// <summary>Reads an id without throwing: a community id of the right form.</summary>
    /// <param name="text">The text, e.g. from a URL.</param>
    /// <param name="id">The id, when the text has the form.</param>
    /// <returns>Whether <paramref name="text"/> is 1–64 of A–Z, a–z, 0–9, '-', '_'.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, out CommunityId id)
    {
        id = Ids.IsValid(text) ? new CommunityId(text) : default;
        return id.Value is not null;
    }

    /// <summary>The id's text.</summary>
    public string Value { get; }

    /// <inheritdoc />
    public override string ToString() => Value;
}

/// <summary>The id of a journal entry: its position in the ledger's global order, from 1.</summary>
/// <param name="Value">The number.</param>
public readonly record struct EntryId(long Value)
{
    /// <inheritdoc />
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}

internal static class Ids
{
    public static bool IsValid([NotNullWhen(true)] string? value) =>
        value is { Length: > 0 and <= 64 } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public static string Check(string value, string paramName) =>
        IsValid(value) ? value : throw new ArgumentException($"'{value}' is not a valid id (1–64 of A–Z, a–z, 0–9, '-', '_')", paramName);
}
