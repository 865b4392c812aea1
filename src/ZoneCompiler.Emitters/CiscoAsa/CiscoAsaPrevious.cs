using System.Text.RegularExpressions;

namespace ZoneCompiler.Emitters.CiscoAsa;

/// <summary>
/// What a previous ASA output left on the device (the record the delta of the next compile is computed from): its
/// generation, the ACLs and object-groups it defined, its bindings, and the management lines of its state block.
/// Only lines of the shapes zonec writes are taken, with names and words checked against the lexical contract, so an
/// edited previous file cannot make the next output carry arbitrary text.
/// </summary>
public sealed partial class CiscoAsaPrevious
{
    private readonly Dictionary<string, (List<string> V4, List<string> V6)> _icmp = new(StringComparer.Ordinal);

    public string? Generation { get; private set; }

    public List<string> Acls { get; } = [];

    public List<(string Name, string Kind)> Groups { get; } = [];

    public List<(string Acl, string? Interface, bool ControlPlane)> Bindings { get; } = [];

    /// <summary>The <c>ssh</c> and <c>http</c> lines of the state block.</summary>
    public List<string> Access { get; } = [];

    /// <summary>The interfaces that have ICMP rules in the state block.</summary>
    public IEnumerable<string> IcmpInterfaces => _icmp.Keys.Order(StringComparer.Ordinal);

    public List<string> Icmp(string nameif, bool v6) =>
        _icmp.TryGetValue(nameif, out var lists) ? [.. v6 ? lists.V6 : lists.V4] : [];

    public static CiscoAsaPrevious Parse(string text)
    {
        var result = new CiscoAsaPrevious();
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(CiscoAsaEmitter.GenerationMarker, StringComparison.Ordinal))
            {
                string g = line[CiscoAsaEmitter.GenerationMarker.Length..];
                result.Generation = GenerationPattern().IsMatch(g) ? g : null;
            }
            else if (line.StartsWith(CiscoAsaEmitter.StateMarker, StringComparison.Ordinal))
            {
                result.State(line[CiscoAsaEmitter.StateMarker.Length..]);
            }
            else if (ObjectGroup().Match(line) is { Success: true } g)
            {
                result.Groups.Add((g.Groups[2].Value, g.Groups[1].Value));
            }
            else if (AccessList().Match(line) is { Success: true } a && !result.Acls.Contains(a.Groups[1].Value))
            {
                result.Acls.Add(a.Groups[1].Value);
            }
            else if (Binding().Match(line) is { Success: true } b && CiscoAsaLexicon.NameifProblem(b.Groups[2].Value) is null)
            {
                result.Bindings.Add((b.Groups[1].Value, b.Groups[2].Value, b.Groups[3].Success));
            }
            else if (GlobalBinding().Match(line) is { Success: true } gb)
            {
                result.Bindings.Add((gb.Groups[1].Value, null, false));
            }
        }

        return result;
    }

    private void State(string line)
    {
        var words = line.Split(' ');
        if (!Management().IsMatch(line) || CiscoAsaLexicon.NameifProblem(words[^1]) is not null)
        {
            return;
        }

        if (words[0] is "ssh" or "http")
        {
            Access.Add(line);
            return;
        }

        if (!_icmp.TryGetValue(words[^1], out var lists))
        {
            lists = ([], []);
            _icmp[words[^1]] = lists;
        }

        (words[0] == "ipv6" ? lists.V6 : lists.V4).Add(line);
    }

    [GeneratedRegex(@"^[A-Z][0-9A-F]{0,4}\z")]
    private static partial Regex GenerationPattern();

    [GeneratedRegex(@"^object-group (network|service) ([A-Za-z0-9_.-]{1,64})\z")]
    private static partial Regex ObjectGroup();

    [GeneratedRegex(@"^access-list ([A-Za-z0-9_.-]{1,64}) (?:remark|extended) ")]
    private static partial Regex AccessList();

    [GeneratedRegex(@"^access-group ([A-Za-z0-9_.-]{1,64}) in interface (\S+?)( control-plane)?\z")]
    private static partial Regex Binding();

    [GeneratedRegex(@"^access-group ([A-Za-z0-9_.-]{1,64}) global\z")]
    private static partial Regex GlobalBinding();

    [GeneratedRegex(@"^(?:(?:ssh|http) [0-9A-Fa-f.:/]+(?: [0-9.]+)?|(?:ipv6 )?icmp (?:permit|deny) (?:any|[0-9A-Fa-f.:/]+(?: [0-9.]+)?)(?: [0-9]{1,3})?) [A-Za-z0-9_./-]{1,48}\z")]
    private static partial Regex Management();
}
