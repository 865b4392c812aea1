using System.Globalization;
using System.Net;
using System.Numerics;
using System.Text;

namespace ZoneCompiler.Bench;

/// <summary>
/// Writes the flows of a <see cref="SyntheticPolicy"/> as a Capirca policy, for the side-by-side benchmark:
/// <list type="bullet">
/// <item><c>def/NETWORK.net</c>: one token per zone (its IPv4 and IPv6 networks as CIDRs; address ranges split into
/// CIDRs) and one per pinned flow end; <c>def/SERVICES.svc</c>: the named services and the inline ports.</item>
/// <item><c>terms/fw-NN.inc</c>: the terms of the flows firewall NN enforces (the same placement rule as zonec: a
/// source zone and a destination zone on different interfaces of the firewall). A flow becomes one term per protocol
/// (<c>-tcp</c>, <c>-udp</c>, <c>-icmp</c>, <c>-icmpv6</c>, one ICMP term per code), because Capirca applies a term's
/// ports to every protocol of the term. Capirca's ASA target cannot write ICMP codes: those terms exclude it.</item>
/// <item><c>&lt;target&gt;/pol/fw-NN.pol</c> for <c>iptables</c> (FORWARD, default DROP, an inet and an inet6 filter),
/// <c>ciscoasa</c> (Capirca's ASA target writes IPv4 only) and <c>juniper</c> (mixed), and <c>all/pol</c> with the three
/// targets in one run (a policy file per target); each includes the firewall's terms.</item>
/// </list>
/// Run with <c>aclgen --base_directory DIR/&lt;target&gt; --definitions_directory DIR/def --output_directory OUT</c>.
/// </summary>
public static class CapircaWriter
{
    public static readonly IReadOnlyList<string> Targets = ["iptables", "ciscoasa", "juniper"];

    public static void Write(string root, SyntheticPolicy policy)
    {
        Directory.CreateDirectory(Path.Combine(root, "def"));
        Directory.CreateDirectory(Path.Combine(root, "terms"));
        var networks = new StringBuilder();
        foreach (var z in policy.Zones)
        {
            Token(networks, ZoneToken(z), z.Networks.SelectMany(Cidrs));
        }

        var inlinePorts = new SortedSet<string>(StringComparer.Ordinal);
        var terms = policy.Firewalls.Select(_ => new StringBuilder()).ToArray();
        foreach (var flow in policy.Flows())
        {
            string? From(IEnumerable<SynEnd> ends, string side)
            {
                var tokens = new List<string>();
                foreach (var e in ends)
                {
                    if (e.Hosts.IsEmpty)
                    {
                        tokens.Add(ZoneToken(e.Zone));
                    }
                    else
                    {
                        string token = $"H_{flow.Id}_{side}{tokens.Count}";
                        Token(networks, token, e.Hosts.SelectMany(Cidrs));
                        tokens.Add(token);
                    }
                }

                return string.Join(" ", tokens);
            }

            var enforced = policy.EnforcedBy(flow).ToList();
            if (enforced.Count == 0)
            {
                continue;
            }

            string source = From(flow.From, "S")!;
            string destination = From(flow.To, "D")!;
            var text = new StringBuilder();
            var items = flow.Services.Select(s => (Entry: s, Items: ServiceCatalog.Items(s))).ToList();
            foreach (var s in flow.Services.Where(s => !ServiceCatalog.IsNamed(s)))
            {
                inlinePorts.Add(s);
            }

            foreach (var proto in new[] { "tcp", "udp" })
            {
                var ports = items.Where(i => i.Items.Any(x => x.Protocol == proto)).Select(i => ServiceToken(i.Entry)).ToList();
                if (ports.Count > 0)
                {
                    Term(text, $"{flow.Id}-{proto}", flow, source, destination, proto, $"  destination-port:: {string.Join(" ", ports)}\n");
                }
            }

            foreach (var proto in new[] { "icmp", "icmpv6" })
            {
                foreach (var byCode in items.SelectMany(i => i.Items).Where(x => x.Protocol == proto).GroupBy(x => x.Code).OrderBy(g => g.Key ?? -1))
                {
                    // Capirca's ASA target has no ICMP codes: such a term is left out there (platform-exclude).
                    string code = byCode.Key is { } c
                        ? string.Create(CultureInfo.InvariantCulture, $"  icmp-code:: {c}\n  platform-exclude:: ciscoasa\n")
                        : "";
                    string suffix = byCode.Key is { } k ? string.Create(CultureInfo.InvariantCulture, $"-{k}") : "";
                    Term(text, $"{flow.Id}-{proto}{suffix}", flow, source, destination, proto,
                        $"  icmp-type:: {string.Join(" ", byCode.Select(x => x.CapircaType).Distinct())}\n{code}");
                }
            }

            foreach (int f in enforced)
            {
                terms[f].Append(text);
            }
        }

        File.WriteAllText(Path.Combine(root, "def", "NETWORK.net"), networks.ToString());
        var services = new StringBuilder();
        foreach (var s in ServiceCatalog.All)
        {
            var ports = s.Items.Where(i => i.Protocol is "tcp" or "udp").Select(i => i.Low == i.High
                ? string.Create(CultureInfo.InvariantCulture, $"{i.Low}/{i.Protocol}")
                : string.Create(CultureInfo.InvariantCulture, $"{i.Low}-{i.High}/{i.Protocol}")).ToList();
            if (ports.Count > 0)
            {
                services.Append(ServiceToken(s.Name)).Append(" = ").AppendJoin("\n    ", ports).Append('\n');
            }
        }

        foreach (var p in inlinePorts)
        {
            var item = ServiceItem.ParseInline(p);
            services.Append(ServiceToken(p)).Append(string.Create(CultureInfo.InvariantCulture, $" = {item.Low}/{item.Protocol}\n"));
        }

        File.WriteAllText(Path.Combine(root, "def", "SERVICES.svc"), services.ToString());

        foreach (var fw in policy.Firewalls)
        {
            File.WriteAllText(Path.Combine(root, "terms", fw.Id + ".inc"), terms[fw.Index].ToString());
            string Header(string target) => target switch
            {
                "iptables" => $"header {{\n  comment:: \"{fw.Id} (IPv4)\"\n  target:: iptables FORWARD DROP inet\n}}\n#include '../terms/{fw.Id}.inc'\n\n"
                    + $"header {{\n  comment:: \"{fw.Id} (IPv6)\"\n  target:: iptables FORWARD DROP inet6\n}}\n#include '../terms/{fw.Id}.inc'\n",
                "ciscoasa" => $"header {{\n  comment:: \"{fw.Id}\"\n  target:: ciscoasa {Acl(fw.Id)}\n}}\n#include '../terms/{fw.Id}.inc'\n",
                _ => $"header {{\n  comment:: \"{fw.Id}\"\n  target:: juniper {Acl(fw.Id)} mixed\n}}\n#include '../terms/{fw.Id}.inc'\n",
            };
            foreach (var target in Targets)
            {
                WritePolicy(Path.Combine(root, target, "pol", fw.Id + ".pol"), Header(target));

                // One file per target in "all" too: Capirca's ASA generator renders every filter of its file, whatever
                // the filter's target, so a file with the three headers would give the ASA three copies.
                WritePolicy(Path.Combine(root, "all", "pol", fw.Id + "-" + target + ".pol"), Header(target));
            }
        }
    }

    private static void WritePolicy(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private static string Acl(string firewallId) => firewallId.Replace('-', '_');

    private static void Term(StringBuilder sb, string name, SynFlow flow, string source, string destination, string protocol, string match) =>
        sb.Append("term ").Append(name).Append(" {\n")
            .Append("  comment:: \"").Append(flow.Purpose).Append("\"\n")
            .Append("  source-address:: ").Append(source).Append('\n')
            .Append("  destination-address:: ").Append(destination).Append('\n')
            .Append("  protocol:: ").Append(protocol).Append('\n')
            .Append(match)
            .Append(flow.Log ? "  logging:: true\n" : "")
            .Append("  action:: accept\n}\n\n");

    private static string ZoneToken(SynZone zone) => "Z_" + zone.Id.Replace('-', '_');

    private static string ServiceToken(string entry) =>
        ServiceCatalog.IsNamed(entry) ? entry.Replace('-', '_').ToUpperInvariant() : entry.Replace('/', '_').ToUpperInvariant();

    private static void Token(StringBuilder sb, string token, IEnumerable<string> cidrs) =>
        sb.Append(token).Append(" = ").AppendJoin("\n    ", cidrs).Append('\n');

    /// <summary>A network, host or range of the generator as CIDRs (a range split into the fewest prefixes).</summary>
    internal static IEnumerable<string> Cidrs(string text)
    {
        if (text.Contains('/', StringComparison.Ordinal))
        {
            return [text];
        }

        int dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return [text + (text.Contains(':', StringComparison.Ordinal) ? "/128" : "/32")];
        }

        var first = IPAddress.Parse(text[..dash]);
        var last = IPAddress.Parse(text[(dash + 1)..]);
        return Split(first, last);
    }

    private static IEnumerable<string> Split(IPAddress first, IPAddress last)
    {
        int bits = first.GetAddressBytes().Length * 8;
        var low = new BigInteger(first.GetAddressBytes(), isUnsigned: true, isBigEndian: true);
        var high = new BigInteger(last.GetAddressBytes(), isUnsigned: true, isBigEndian: true);
        while (low <= high)
        {
            int size = 0;
            while (size < bits && (low & ((BigInteger.One << (size + 1)) - 1)) == 0 && low + (BigInteger.One << (size + 1)) - 1 <= high)
            {
                size++;
            }

            var bytes = low.ToByteArray(isUnsigned: true, isBigEndian: true);
            var padded = new byte[bits / 8];
            bytes.CopyTo(padded, padded.Length - bytes.Length);
            yield return string.Create(CultureInfo.InvariantCulture, $"{new IPAddress(padded)}/{bits - size}");
            low += BigInteger.One << size;
        }
    }
}
