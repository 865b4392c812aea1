using System.Security.Cryptography;
using System.Text;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Text;

namespace ZoneCompiler.Emitters;

/// <summary>
/// Deterministic generated names for one vendor's namespace: a readable base derived from ids, restricted to the
/// vendor's characters and length; when two different origins would share a name, the later one gets a short
/// content hash of its origin (never a silent truncation into a duplicate). A clash that survives the hash is
/// reported as ZC4001.
/// </summary>
public sealed class NameTable(string vendor, Func<char, bool> allowed, char replacement, int maxLength, DiagnosticBag? diagnostics = null)
{
    private readonly Dictionary<string, string> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _byOrigin = new(StringComparer.Ordinal);

    /// <summary>The name for an origin key (stable: the same origin always gets the same name).</summary>
    public string NameFor(string origin, string readable, SourceLocation? location = null)
    {
        if (_byOrigin.TryGetValue(origin, out var existing))
        {
            return existing;
        }

        string name = Clean(readable, maxLength);
        if (_byName.ContainsKey(name) || !string.Equals(name, Clean(readable, int.MaxValue), StringComparison.Ordinal))
        {
            // Taken, or shortened to fit: add the hash so shortened names stay distinct.
            string hash = ShortHash(origin);
            name = Clean(readable, maxLength - hash.Length - 1) + replacement + hash;
        }

        if (_byName.TryGetValue(name, out var clash))
        {
            diagnostics?.Add(Descriptors.NameCollision, location ?? SourceLocation.None(vendor), vendor, name, clash, origin);
            string second = ShortHash(origin + "|" + clash);
            name = Clean(readable, maxLength - second.Length - 1) + replacement + second;
        }

        _byName[name] = origin;
        _byOrigin.Add(origin, name);
        return name;
    }

    /// <summary>The first 8 hex digits of the SHA-256 of the text.</summary>
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
