using System.Security.Cryptography;
using System.Text;

namespace ZoneCompiler.Emitters;

/// <summary>
/// Deterministic generated names: a readable base from ids, restricted to a vendor's character set and length,
/// with a short content hash added only where two different origins would otherwise share a name.
/// </summary>
public sealed class NameTable(Func<char, bool> allowed, char replacement, int maxLength)
{
    private readonly Dictionary<string, string> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _byOrigin = new(StringComparer.Ordinal);

    /// <summary>The name for an origin key (stable: the same origin always gets the same name).</summary>
    public string NameFor(string origin, string readable)
    {
        if (_byOrigin.TryGetValue(origin, out var existing))
        {
            return existing;
        }

        string name = Clean(readable, maxLength);
        if (_byName.ContainsKey(name))
        {
            string hash = ShortHash(origin);
            name = Clean(readable, maxLength - hash.Length - 1) + replacement + hash;
        }

        if (_byName.TryGetValue(name, out var clash))
        {
            throw new InvalidOperationException($"name '{name}' generated for both '{clash}' and '{origin}'");
        }

        _byName.Add(name, origin);
        _byOrigin.Add(origin, name);
        return name;
    }

    public static string ShortHash(string text)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        return Convert.ToHexStringLower(bytes.AsSpan(0, 4));
    }

    private string Clean(string text, int length)
    {
        var sb = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            sb.Append(allowed(c) ? c : replacement);
        }

        return sb.Length > length ? sb.ToString(0, length) : sb.ToString();
    }
}
