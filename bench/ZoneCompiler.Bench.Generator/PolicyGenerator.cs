using System.Collections.Immutable;
using System.Text;
using static ZoneCompiler.Bench.SyntheticPolicy;

namespace ZoneCompiler.Bench;

/// <summary>
/// Writes a <see cref="SyntheticPolicy"/> as a zonec policy in format v1: <c>zones/</c> (zones in files of
/// <see cref="ZonesPerFile"/>, the Internet, <c>firewalls.yaml</c>) and <c>rules/</c> (policy, services, flows in files of
/// <see cref="FlowsPerFile"/>, each well under the loader's 16 MiB per file). The flows are written as they are
/// generated, so even the XL policy (1,000,000 flows) is never held in memory.
/// </summary>
public static class PolicyGenerator
{
    public const int ZonesPerFile = 1000;
    public const int FlowsPerFile = 5000;

    public sealed record Layout(string Root, string ZonesDirectory, string RulesDirectory, int Zones, int Flows, int Firewalls);

    /// <summary>The shape the older benchmarks used (shared interfaces, nftables), kept for <c>quick</c>, <c>profile</c> and BenchmarkDotNet.</summary>
    public static Layout Generate(string root, int zones, int flows, int firewalls, int seed = 42) =>
        Generate(root, new GeneratorOptions(zones, flows, firewalls, Topology.SharedInterfaces, seed));

    public static Layout Generate(string root, GeneratorOptions options) => Write(root, new SyntheticPolicy(options));

    public static Layout Write(string root, SyntheticPolicy policy)
    {
        string zonesDir = Path.Combine(root, "zones");
        string rulesDir = Path.Combine(root, "rules");
        Directory.CreateDirectory(zonesDir);
        Directory.CreateDirectory(rulesDir);
        var zones = policy.Zones;
        for (int file = 0; file * ZonesPerFile < zones.Length - 1; file++)
        {
            var sb = new StringBuilder("zones:\n");
            foreach (var z in zones.Skip(file * ZonesPerFile).Take(Math.Min(ZonesPerFile, zones.Length - 1 - (file * ZonesPerFile))))
            {
                AppendZone(sb, z);
            }

            Write(Path.Combine(zonesDir, Inv($"zones-{file:D3}.yaml")), sb);
        }

        Write(Path.Combine(zonesDir, "internet.yaml"), new StringBuilder("zones:\n").Append(
            $"  - id: {Internet}\n    name: the Internet\n    layer: external\n    kind: external\n    class: internet\n    networks: [0.0.0.0/0, \"::/0\"]\n"));
        WriteFirewalls(Path.Combine(zonesDir, "firewalls.yaml"), policy, policy.Options.Vendors);

        Write(Path.Combine(rulesDir, "policy.yaml"), new StringBuilder(
            "policy:\n  municipality: bench city\n  model: alpha\n  guideline: R6.10\n  human-measures: true\n"));
        var services = new StringBuilder("services:\n");
        foreach (var s in ServiceCatalog.All)
        {
            services.Append(Inv($"  {s.Name}: {s.ZonecSpecs}\n"));
        }

        Write(Path.Combine(rulesDir, "services.yaml"), services);
        var flows = new StringBuilder();
        int fileNumber = 0;
        foreach (var flow in policy.Flows())
        {
            if (flow.Number % FlowsPerFile == 0)
            {
                Flush();
                flows.Append("flows:\n");
            }

            AppendFlow(flows, flow);
        }

        Flush();
        return new Layout(root, zonesDir, rulesDir, policy.Options.Zones, policy.Options.Flows, policy.Options.Firewalls);

        void Flush()
        {
            if (flows.Length > 0)
            {
                Write(Path.Combine(rulesDir, Inv($"flows-{fileNumber++:D4}.yaml")), flows);
                flows.Clear();
            }
        }
    }

    /// <summary>
    /// <c>firewalls.yaml</c> with firewall i declared as <c>vendors[i % n]</c> and its ports named as that vendor names
    /// interfaces (<see cref="InterfaceNames.Name"/>).
    /// </summary>
    public static void WriteFirewalls(string path, SyntheticPolicy policy, IReadOnlyList<string> vendors)
    {
        var sb = new StringBuilder("firewalls:\n");
        foreach (var fw in policy.Firewalls)
        {
            string vendor = vendors[fw.Index % vendors.Count];
            sb.Append(Inv($"  - id: {fw.Id}\n    name: segment firewall {fw.Index}\n    vendor: {vendor}\n    interfaces:\n"));
            foreach (var port in fw.Interfaces)
            {
                sb.Append("      - name: ").Append(InterfaceNames.Name(vendor, port.Role, port.Number)).Append("\n        zones:\n");
                foreach (int z in port.Zones)
                {
                    sb.Append("          - ").Append(policy.Zones[z].Id).Append('\n');
                }
            }
        }

        Write(path, sb);
    }

    private static void AppendZone(StringBuilder sb, SynZone z)
    {
        string name = z.Sanitiser is not null ? $"{z.Sanitiser} sanitiser" : z.Class is not null ? $"{z.Class} counterpart" : $"{z.Layer} {z.Kind}";
        sb.Append(Inv($"  - id: {z.Id}\n    name: zone {z.Index} ({name})\n    layer: {z.Layer}\n    kind: {z.Kind}\n"));
        if (z.Class is not null)
        {
            sb.Append("    class: ").Append(z.Class).Append('\n');
        }

        if (z.Sanitiser is not null)
        {
            sb.Append("    sanitiser: ").Append(z.Sanitiser).Append('\n');
        }

        string? attributes = z.Layer == "mynumber" ? "      mfa: true\n      removable-media: blocked\n      wireless: false\n"
            : z.Sanitiser switch
            {
                "mail-text" => "      attachments: removed\n",
                "screen-transfer" => "      redirection: none\n",
                "file-sanitise" => "      transfer-approval: true\n",
                _ => null,
            };
        if (attributes is not null)
        {
            sb.Append("    attributes:\n").Append(attributes);
        }

        sb.Append("    networks:\n");
        foreach (var n in z.Networks)
        {
            sb.Append("      - ").Append(n.Contains(':', StringComparison.Ordinal) ? "\"" + n + "\"" : n).Append('\n');
        }

        sb.Append('\n');
    }

    private static void AppendFlow(StringBuilder sb, SynFlow flow)
    {
        sb.Append("  - id: ").Append(flow.Id).Append('\n');
        sb.Append("    from: ").Append(Ends(flow.From)).Append('\n');
        sb.Append("    to: ").Append(Ends(flow.To)).Append('\n');
        sb.Append("    services: [").Append(string.Join(", ", flow.Services)).Append("]\n");
        if (flow.Sanitiser is not null)
        {
            sb.Append("    sanitiser: ").Append(flow.Sanitiser).Append('\n');
        }

        if (flow.Special is not null)
        {
            sb.Append("    special: ").Append(flow.Special).Append('\n');
        }

        if (flow.MacPinned)
        {
            sb.Append("    mac-pinned: true\n");
        }

        sb.Append("    purpose: ").Append(flow.Purpose).Append('\n');
        sb.Append(Inv($"    owner: section {flow.Segment}\n"));
        if (!flow.Log)
        {
            sb.Append("    log: false\n");
        }

        sb.Append('\n');
    }

    private static string Ends(ImmutableArray<SynEnd> ends)
    {
        static string One(SynEnd e) => e.Hosts.IsEmpty
            ? e.Zone.Id
            : $"{{ zone: {e.Zone.Id}, hosts: [{string.Join(", ", e.Hosts.Select(h => h.Contains(':', StringComparison.Ordinal) ? "\"" + h + "\"" : h))}] }}";
        return ends.Length == 1 ? One(ends[0]) : "[" + string.Join(", ", ends.Select(One)) + "]";
    }

    private static void Write(string path, StringBuilder text) =>
        File.WriteAllText(path, text.ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
}

/// <summary>How each vendor names the ports of a generated firewall (names that vendor's emitter accepts without a warning).</summary>
public static class InterfaceNames
{
    public static readonly ImmutableArray<string> Vendors =
        ["nftables", "iptables", "cisco-ios", "cisco-asa", "juniper-srx", "fortigate", "paloalto", "yamaha-rtx"];

    public static string Name(string vendor, PortRole role, int number) => (vendor, role) switch
    {
        ("cisco-ios", PortRole.Own) => Inv($"Gi0/0/0.{number + 1}"),
        ("cisco-ios", PortRole.Uplink) => Inv($"Gi0/0/{number + 1}"),
        ("cisco-ios", _) => "Gi0/0/4",
        ("juniper-srx", PortRole.Own) => Inv($"ge-0/0/0.{number + 1}"),
        ("juniper-srx", PortRole.Uplink) => Inv($"ge-0/0/{number + 1}"),
        ("juniper-srx", _) => "ge-0/0/4",
        ("paloalto", PortRole.Own) => Inv($"ethernet1/1.{number + 1}"),
        ("paloalto", PortRole.Uplink) => Inv($"ethernet1/{number + 2}"),
        ("paloalto", _) => "ethernet1/5",
        ("yamaha-rtx", PortRole.Own) => Inv($"lan1/{number + 1}"),
        ("yamaha-rtx", PortRole.Uplink) => Inv($"lan{number + 2}"),
        ("yamaha-rtx", _) => "wan1",
        (_, PortRole.Own) => Inv($"p{number}"),
        (_, PortRole.Uplink) => "up-" + SyntheticPolicy.Layers[number],
        _ => "wan",
    };
}
