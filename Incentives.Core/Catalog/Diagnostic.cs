namespace Incentives.Catalog;

/// <summary>
/// One problem found while loading a rules folder, located by file, line and column (both 1-based).
/// </summary>
/// <remarks>
/// <see cref="ToString"/> renders the MSBuild form <c>path(line,col): error IRnnn: message</c> that editors and CI
/// understand. Codes are stable: tooling may match on them.
/// </remarks>
/// <param name="Code">The stable code, e.g. <c>IR104</c>.</param>
/// <param name="File">The file's path as the loader was given it, with forward slashes.</param>
/// <param name="Line">The 1-based line of the offending token.</param>
/// <param name="Column">The 1-based column (in characters) of the offending token.</param>
/// <param name="Message">What is wrong, in English.</param>
public sealed record Diagnostic(string Code, string File, int Line, int Column, string Message)
{
    /// <summary>Renders <c>path(line,col): error CODE: message</c>.</summary>
    /// <returns>The MSBuild-style line.</returns>
    public override string ToString() => $"{File}({Line},{Column}): error {Code}: {Message}";
}
