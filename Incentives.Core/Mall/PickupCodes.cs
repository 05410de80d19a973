using System.Security.Cryptography;

namespace Incentives.Mall;

/// <summary>Six-character pickup codes a resident can read out and staff can type: no 0/O, 1/I/L, 2/Z, 5/S, 8/B.
/// Derived from a seed fixed when the reservation is submitted, so replaying the command gives the same code.</summary>
internal static class PickupCodes
{
    public const string Alphabet = "ACDEFGHJKMNPQRTUVWXY34679";
    public const int Length = 6;

    public static string Make(long seed, int attempt)
    {
        Span<byte> input = stackalloc byte[12];
        BitConverter.TryWriteBytes(input, seed);
        BitConverter.TryWriteBytes(input[8..], attempt);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        Span<char> code = stackalloc char[Length];
        for (var i = 0; i < Length; i++)
        {
            code[i] = Alphabet[hash[i] % Alphabet.Length];
        }

        return new string(code);
    }

    /// <summary>Upper-cases and trims what a person typed; look-alikes are not guessed.</summary>
    public static string Normalize(string code) => code.Trim().ToUpperInvariant();
}
