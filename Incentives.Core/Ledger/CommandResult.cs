using System.Diagnostics.CodeAnalysis;
using Incentives.Rules;

namespace Incentives.Ledger;

/// <summary>The outcome of a command: the value, or a refusal; and whether it was a replay of an earlier call.</summary>
/// <typeparam name="T">The value type.</typeparam>
public sealed record CommandResult<T>
    where T : class
{
    /// <summary>The value when the command was applied (or replayed).</summary>
    public T? Value { get; init; }

    /// <summary>Why the command was refused; nothing was written.</summary>
    public Refusal? Refusal { get; init; }

    /// <summary>For refused awards: the decision, with its explanation.</summary>
    public AwardDecision? Decision { get; init; }

    /// <summary>True when this answers a repeated idempotency key: nothing new was written.</summary>
    public bool Replayed { get; init; }

    /// <summary>Whether the command took effect (now or the first time); when true, <see cref="Value"/> is set.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Refusal))]
    public bool Succeeded => Value is not null;

    /// <summary>The value, when the command took effect.</summary>
    /// <param name="value">The value, or null when the command was refused.</param>
    /// <returns>Whether the command took effect.</returns>
    /// <example><code>if (result.TryGetValue(out var entry)) { Show(entry); } else { Explain(result.Refusal); }</code></example>
    public bool TryGetValue([NotNullWhen(true)] out T? value)
    {
        value = Value;
        return value is not null;
    }

    internal static CommandResult<T> Ok(T value, bool replayed = false) => new() { Value = value, Replayed = replayed };

    internal static CommandResult<T> Refused(Refusal refusal, AwardDecision? decision = null) => new() { Refusal = refusal, Decision = decision };
}
