using System.Collections.Immutable;
using System.Globalization;

namespace ZoneCompiler.Bench;

/// <summary>
/// One protocol item of a service: TCP/UDP ports (<see cref="Low"/>..<see cref="High"/>) or an ICMP/ICMPv6 type
/// (optionally with a code). <see cref="ZonecType"/> is the type as zonec's format writes it, <see cref="CapircaType"/>
/// as Capirca's <c>icmp-type::</c> names it.
/// </summary>
public sealed record ServiceItem(string Protocol, int Low, int High, string? ZonecType = null, string? CapircaType = null, int? Code = null)
{
    public static ServiceItem Tcp(int low, int high = -1) => new("tcp", low, high < 0 ? low : high);

    public static ServiceItem Udp(int port) => new("udp", port, port);

    public static ServiceItem Icmp(string zonec, string capirca, int? code = null) => new("icmp", 0, 0, zonec, capirca, code);

    public static ServiceItem Icmp6(string name) => new("icmpv6", 0, 0, name, name);

    /// <summary>The item in zonec's service syntax (<c>tcp/443</c>, <c>tcp/50000-50100</c>, <c>icmp/3/4</c>).</summary>
    public string Zonec => Protocol switch
    {
        "tcp" or "udp" when Low == High => string.Create(CultureInfo.InvariantCulture, $"{Protocol}/{Low}"),
        "tcp" or "udp" => string.Create(CultureInfo.InvariantCulture, $"{Protocol}/{Low}-{High}"),
        _ when Code is { } code => string.Create(CultureInfo.InvariantCulture, $"{Protocol}/{ZonecType}/{code}"),
        _ => $"{Protocol}/{ZonecType}",
    };

    /// <summary>An inline item of a flow (<c>tcp/12345</c>) back as an item.</summary>
    public static ServiceItem ParseInline(string text)
    {
        var parts = text.Split('/');
        int port = int.Parse(parts[1], CultureInfo.InvariantCulture);
        return parts[0] == "udp" ? Udp(port) : Tcp(port);
    }
}

/// <summary>A named service of the generated policy.</summary>
public sealed record CatalogService(string Name, ImmutableArray<ServiceItem> Items)
{
    /// <summary>The value in <c>rules/services.yaml</c>: one spec, or a list.</summary>
    public string ZonecSpecs => Items.Length == 1 ? Items[0].Zonec : "[" + string.Join(", ", Items.Select(i => i.Zonec)) + "]";
}

/// <summary>
/// The service mix of the generated policies: what a municipality's zones typically talk (directory, name and time
/// services, file and print, mail, web through the proxy, databases, screen transfer, backup, management, ICMP). Every
/// item is one that all eight vendors express (no bare IP protocol numbers: the zone-based firewalls of Cisco and the
/// ASA refuse those as ZC4002), so each vendor compiles the same policy.
/// </summary>
public static class ServiceCatalog
{
    public static ImmutableArray<CatalogService> All { get; } =
    [
        new("https", [ServiceItem.Tcp(443)]),
        new("http", [ServiceItem.Tcp(80)]),
        new("http-proxy", [ServiceItem.Tcp(8080)]),
        new("dns", [ServiceItem.Udp(53), ServiceItem.Tcp(53)]),
        new("ntp", [ServiceItem.Udp(123)]),
        new("kerberos", [ServiceItem.Tcp(88), ServiceItem.Udp(88)]),
        new("ldap", [ServiceItem.Tcp(389)]),
        new("ldaps", [ServiceItem.Tcp(636)]),
        new("smb", [ServiceItem.Tcp(445)]),
        new("rpc-endpoint", [ServiceItem.Tcp(135)]),
        new("rpc-dynamic", [ServiceItem.Tcp(50000, 50100)]),
        new("wsus", [ServiceItem.Tcp(8530)]),
        new("smtp", [ServiceItem.Tcp(25)]),
        new("submission", [ServiceItem.Tcp(587)]),
        new("imaps", [ServiceItem.Tcp(993)]),
        new("print-raw", [ServiceItem.Tcp(9100)]),
        new("syslog", [ServiceItem.Udp(514), ServiceItem.Tcp(6514)]),
        new("ping", [ServiceItem.Icmp("echo-request", "echo-request"), ServiceItem.Icmp6("echo-request")]),
        new("unreachable", [ServiceItem.Icmp("3", "unreachable", 4), ServiceItem.Icmp6("packet-too-big")]),
        new("db-client", [ServiceItem.Tcp(1521)]),
        new("sql", [ServiceItem.Tcp(1433)]),
        new("ica-hdx", [ServiceItem.Tcp(2598)]),
        new("ike", [ServiceItem.Udp(500), ServiceItem.Udp(4500)]),
        new("backup", [ServiceItem.Tcp(10000, 10100)]),
        new("ssh", [ServiceItem.Tcp(22)]),
        new("rdp", [ServiceItem.Tcp(3389)]),
        new("snmp", [ServiceItem.Udp(161)]),
    ];

    private static readonly Dictionary<string, CatalogService> ByName = All.ToDictionary(s => s.Name, StringComparer.Ordinal);

    /// <summary>Remote-access services: never used into My Number zones (SEP-MN-010).</summary>
    public static ImmutableArray<string> RemoteAccess { get; } = ["rdp", "ssh"];

    /// <summary>The items of a flow's service entry: a catalogue name or an inline <c>tcp/N</c>.</summary>
    public static ImmutableArray<ServiceItem> Items(string entry) =>
        ByName.TryGetValue(entry, out var service) ? service.Items : [ServiceItem.ParseInline(entry)];

    public static bool IsNamed(string entry) => ByName.ContainsKey(entry);
}
