using System.Security.Cryptography;
using System.Text;

namespace Incentives.Api.Security;

/// <summary>Hashing for keys, PINs and national ID numbers. Raw ID numbers are never stored: only an HMAC under a
/// server secret kept in the data folder, so a stolen database alone does not reveal them.</summary>
internal sealed class Secrets
{
    private const int PinIterations = 60_000;

    /// <summary>At least 100,000 (issue 13); more costs every sign-in, and an unknown id costs the same.</summary>
    public const int PasswordIterations = 120_000;
    private readonly byte[] _idKey;

    public Secrets(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, "secret.key");
        if (!File.Exists(path))
        {
            Hosting.FileModes.PrivateDirectory(dataDirectory);
            Hosting.FileModes.WritePrivate(path, RandomNumberGenerator.GetBytes(32));
        }

        _idKey = File.ReadAllBytes(path);
    }

    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');

    /// <summary>API keys are long random strings: a plain SHA-256 is enough and keeps every request fast.</summary>
    public static string HashKey(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public string HashIdNumber(string idNumber) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_idKey, Encoding.UTF8.GetBytes(idNumber.Trim().ToUpperInvariant())));

    /// <summary>PINs are short: a slow salted hash (PBKDF2-SHA256).</summary>
    public static string HashPin(string pin)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(pin, salt, PinIterations, HashAlgorithmName.SHA256, 32);
        return Convert.ToBase64String(salt) + ":" + Convert.ToBase64String(hash);
    }

    /// <summary>Staff passwords guard more than one resident's card: PBKDF2-SHA256 with more iterations than a PIN, and
    /// the count kept in the hash (<c>pbkdf2-sha256$iterations$salt$hash</c>) so it can be raised without a
    /// migration.</summary>
    public static string HashPassword(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, PasswordIterations, HashAlgorithmName.SHA256, 32);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"pbkdf2-sha256${PasswordIterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    public static bool VerifyPassword(string password, string stored)
    {
        var parts = stored.Split('$');
        var iterations = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        var expected = Convert.FromBase64String(parts[3]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(password, Convert.FromBase64String(parts[2]), iterations, HashAlgorithmName.SHA256, 32);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    public static bool VerifyPin(string pin, string stored)
    {
        var parts = stored.Split(':');
        var salt = Convert.FromBase64String(parts[0]);
        var expected = Convert.FromBase64String(parts[1]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(pin, salt, PinIterations, HashAlgorithmName.SHA256, 32);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
