namespace Incentives.Catalog;

/// <summary>Thrown when the engine is opened on a rules folder with errors: the engine refuses to run on bad rules.</summary>
public sealed class RulesLoadException : Exception
{
    /// <summary>Creates the exception with every diagnostic of the load.</summary>
    /// <param name="diagnostics">What is wrong.</param>
    public RulesLoadException(IReadOnlyList<Diagnostic> diagnostics)
        : base($"the rules have {diagnostics.Count} error(s):{Environment.NewLine}{string.Join(Environment.NewLine, diagnostics)}") =>
        Diagnostics = diagnostics;

    /// <summary>Creates the exception with a message only.</summary>
    public RulesLoadException()
        : this([])
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    /// <param name="message">The message.</param>
    public RulesLoadException(string message)
        : base(message) => Diagnostics = [];

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public RulesLoadException(string message, Exception innerException)
        : base(message, innerException) => Diagnostics = [];

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }
}
