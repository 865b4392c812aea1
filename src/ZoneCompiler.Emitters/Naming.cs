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

        string full = Clean(readable, int.MaxValue);
        string name = full.Length > maxLength ? full[..maxLength] : full;
        if (_byName.ContainsKey(name) || name.Length != full.Length)
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
        Span<byte> hash = stackalloc byte[Sha256.HashSize];
        Sha256.Hash(text, hash);
        return Convert.ToHexStringLower(hash[..4]);
    }

    private string Clean(string text, int length)
    {
        int n = Math.Min(text.Length, length);
        int bad = 0;
        while (bad < n && allowed(text[bad]))
        {
            bad++;
        }

        if (bad == n)
        {
            // Every character allowed (the common case): the text itself or its start, without a copy per character.
            return n == text.Length ? text : text[..n];
        }

        return string.Create(n, (text, allowed, replacement), static (span, state) =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                char c = state.text[i];
                span[i] = state.allowed(c) ? c : state.replacement;
            }
        });
    }
}
