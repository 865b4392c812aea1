using System.Globalization;
using System.Text;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Rules;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.InputDiagnostics;

/// <summary>A runnable example: files added to the base policy (or a setup), the zonec arguments, what to show.</summary>
internal sealed record DocExample(string[] Args, IReadOnlyList<(string Path, string Text)> Files, Action<TempPolicy>? Setup = null,
    string? Note = null)
{
    /// <summary>The exit code the example must end with when its diagnostic is an error (verify differences exit 1).</summary>
    public int ExitCode { get; init; } = 2;
}

/// <summary>One documented diagnostic: its id, a one-line explanation and an example (or why there is none).</summary>
internal sealed record DocEntry(string Id, string Explanation, DocExample? Example, string? NoExample = null);

/// <summary>
/// Generates docs/diagnostics.md from the catalogue (Descriptors.cs) and the explanations below. Every example is
/// run through zonec and the printed diagnostic is copied into the page, so the page cannot drift from the code.
/// </summary>
internal static class DiagnosticsDoc
{
    private static readonly string[] Check = ["check", "--as-of", "2026-01-01"];
    private static readonly string[] Compile = ["compile", "--out", "out", "--as-of", "2026-01-01"];
    private static readonly string[] Verify = ["verify", "--out", "out"];
    private static readonly string[] Lint = ["lint", "--out", "out"];

    /// <summary>Inserts <paramref name="line"/> before or after F0's rule in an emitted nftables file.</summary>
    private static string AfterF0(string text, string line, bool before)
    {
        int at = text.IndexOf("comment \"F0\"\n", StringComparison.Ordinal);
        int start = text.LastIndexOf('\n', at) + 1;
        int end = text.IndexOf('\n', at) + 1;
        return before ? text.Insert(start, line) : text.Insert(end, line);
    }

    /// <summary>Compiles the base policy into out/ and applies <paramref name="edit"/> to out/fw1.nft.</summary>
    private static Action<TempPolicy> CompiledThen(Func<string, string> edit) => p =>
    {
        var run = p.Run("compile", "--out", p.PathOf("out"), "--as-of", "2026-01-01");
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException(run.Output);
        }

        string path = p.PathOf("out/fw1.nft");
        File.WriteAllText(path, edit(File.ReadAllText(path)));
    };

    private static DocExample Yaml(string path, string text, string[]? args = null) => new(args ?? Check, [(path, text)]);

    public static IReadOnlyList<DocEntry> Entries { get; } =
    [
        new("ZC0001", "The file is not well-formed YAML: an unclosed bracket or quote, bad indentation, a tab used for indentation, an alias without its anchor, or nesting deeper than 64 levels.",
            Yaml("rules/flows.yaml", "flows: [F1, F2\npolicy: {}\n")),
        new("ZC0002", "Policy files are UTF-8 (a UTF-8 byte order mark is allowed). The position is that of the first byte that is not UTF-8; typical causes are files saved as Shift_JIS or UTF-16.",
            new(Check, [], p => p.Bytes("rules/flows.yaml", [.. "flows: []\n# "u8.ToArray(), 0x93, 0xFA, (byte)'\n']),
                "`rules/flows.yaml` ends with the comment `# 日` saved in Shift_JIS (bytes 0x93 0xFA).")),
        new("ZC0003", "A policy file may hold at most 16 MiB. A larger file, or one that never ends (a device), is refused without being read in full.",
            new(Check, [], p =>
            {
                using var f = new FileStream(p.PathOf("rules/huge.yaml"), FileMode.CreateNew);
                f.SetLength(20_000_000);
            }, "`rules/huge.yaml` is 20000000 bytes long.")),
        new("ZC0004", "YAML aliases may expand to at most 100000 nodes in all. Anchors that multiply content (\"billion laughs\") are refused before they use memory.",
            Yaml("rules/bomb.yaml", string.Concat(Enumerable.Range(0, 6).Select(i => i == 0
                ? "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
                : $"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]\n")))),
        new("ZC0005", "The folder given with --zones or --rules (default zones and rules) does not exist.",
            new(Check, [], p => Directory.Delete(p.Zones, recursive: true), "The policy has no `zones` folder.")),
        new("ZC0006", "The folder holds no file ending in .yaml or .yml (subfolders included).",
            new(Check, [], p => File.Delete(p.PathOf("rules/base.yaml")), "The `rules` folder is empty.")),
        new("ZC0007", "A key appears twice in one mapping. YAML parsers would silently keep one of the two values.",
            Yaml("rules/flows.yaml", "flows:\n  - id: F1\n    from: A\n    to: B\n    from: B\n    services: [https]\n")),
        new("ZC0008", "The format does not define this key here. When a known key is close, it is suggested.",
            Yaml("zones/more.yaml", "zones:\n  - id: C\n    nmae: 住民情報系\n    layer: lgwan\n    kind: server\n    networks: [10.0.2.0/24]\n")),
        new("ZC0009", "A value has the wrong type: a list where one value is expected, a single value where a mapping is expected, or a boolean other than true or false (yes and no are not booleans).",
            Yaml("zones/more.yaml", "zones:\n  - id: C\n    layer: lgwan\n    kind: terminal\n    networks: [10.0.2.0/24]\n    attributes:\n      mfa: yes\n")),
        new("ZC0010", "A required key is missing, or has no value.",
            Yaml("rules/flows.yaml", "flows:\n  - id: F1\n    from: A\n    services: [https]\n")),
        new("ZC0011", "A keyword (layer, kind, sanitiser, class, vendor, model or an attribute value) is not one of the allowed values; a close one is suggested.",
            Yaml("zones/more.yaml", "zones:\n  - id: C\n    layer: lgwn\n    kind: server\n    networks: [10.0.2.0/24]\n")),
        new("ZC0012", "An id or service name does not match its pattern (zone and firewall ids: a letter, then up to 31 letters, digits, '_' or '-').",
            Yaml("zones/more.yaml", "zones:\n  - id: 1C\n    layer: lgwan\n    kind: server\n    networks: [10.0.2.0/24]\n")),
        new("ZC0013", "A top-level key of the other folder: zones and firewalls belong in zones/; policy, services, flows and exceptions in rules/.",
            Yaml("zones/flows.yaml", "flows:\n  - id: F1\n")),
        new("ZC0014", "A policy file holds one YAML document; a second '---' starts another one.",
            Yaml("rules/flows.yaml", "flows: []\n---\nflows: []\n")),
        new("ZC0015", "The file could not be opened or read: permissions, a dangling symbolic link, an I/O error.",
            new(Check, [], p => File.CreateSymbolicLink(p.PathOf("rules/gone.yaml"), "nowhere.yaml"),
                "`rules/gone.yaml` is a symbolic link to a file that does not exist.")),
        new("ZC0016", "A list that must hold at least one item is empty (networks, services, interfaces, flow ends, hosts).",
            Yaml("rules/flows.yaml", "flows:\n  - id: F1\n    from: A\n    to: B\n    services: []\n")),
        new("ZC0017", "Only regular files are read. A named pipe (FIFO), socket or device whose name ends in .yaml or .yml is reported without being opened: reading it could block or never end.",
            new(Check, [], p =>
            {
                using var mkfifo = System.Diagnostics.Process.Start(ExternalTool.Find("mkfifo") ?? "mkfifo", [p.PathOf("rules/flows.yaml")]);
                mkfifo.WaitForExit();
            }, "`rules/flows.yaml` is a named pipe (made with `mkfifo rules/flows.yaml`).")),
        new("ZC0018", "A symbolic link is followed only to a file inside the folder it is in (zones/ or rules/, as given). A link that leads elsewhere, to a file or a folder, is refused.",
            new(Check, [], p => File.CreateSymbolicLink(p.PathOf("rules/shared.yaml"), "../zones/base.yaml"),
                "`rules/shared.yaml` is a symbolic link to `../zones/base.yaml`.")),
        new("ZC0019", "A symbolic link (or a mount) leads back to a folder that holds it: walking it would never end. Links to folders are never walked.",
            new(Check, [], p => File.CreateSymbolicLink(p.PathOf("rules/again"), "."), "`rules/again` is a symbolic link to `.`.")),
        new("ZC0020", "A symbolic link leads to a file or folder that is read already under its own name: reading it again would declare everything twice.",
            new(Check, [], p => File.CreateSymbolicLink(p.PathOf("rules/copy.yaml"), "base.yaml"),
                "`rules/copy.yaml` is a symbolic link to `base.yaml`.")),
        new("ZC0021", "The whole input (zones/ and rules/ together) is bounded: at most 10,000 files and folders, 128 MiB of YAML and 16,000,000 YAML nodes (aliases count the nodes they repeat). Past a limit nothing more is read or checked; the message names the environment variable that raises the limit (ZONEC_MAX_FILES, ZONEC_MAX_INPUT_BYTES, ZONEC_MAX_NODES).",
            null, "the example policy is far below the limits. With `ZONEC_MAX_FILES=1`, `zonec check` prints `zones(1,1): error ZC0021: the policy holds more than 1 files and folders, the limit; raise it with the environment variable ZONEC_MAX_FILES (for example ZONEC_MAX_FILES=4)`."),
        new("ZC0022", "An input limit set in the environment (ZONEC_MAX_FILES, ZONEC_MAX_INPUT_BYTES, ZONEC_MAX_NODES) is not a whole number of at least 1. Nothing is read.",
            null, "the examples run without these variables. With `ZONEC_MAX_NODES=lots`, `zonec check` prints `ZONEC_MAX_NODES(1,1): error ZC0022: ZONEC_MAX_NODES='lots' is not a whole number from 1 to 9223372036854775807`."),
        new("ZC0023", "A folder (zones/, rules/ or a subfolder) cannot be listed, usually for lack of permission. Its files are not read, and the policy is incomplete.",
            null, "the examples run as root, who can read every folder. As another user, a subfolder without read permission prints `rules/secret(1,1): error ZC0023: cannot read the folder: Access to the path '/path/to/rules/secret' is denied.`"),
        new("ZC1001", "Two zones, firewalls, flows, services or exceptions share an id. Ids are compared case-insensitively, and the message names the first declaration.",
            Yaml("zones/more.yaml", "zones:\n  - id: a\n    layer: lgwan\n    kind: server\n    networks: [10.0.2.0/24]\n")),
        new("ZC1002", "A flow end or a firewall interface names a zone that is not declared.",
            Yaml("rules/flows.yaml", "flows:\n  - id: F1\n    from: A\n    to: LG-SRV\n    services: [https]\n")),
        new("ZC1003", "A flow's service is neither a named service (rules/ services) nor a service spec such as tcp/443.",
            Yaml("rules/flows.yaml", "flows:\n  - id: F1\n    from: A\n    to: B\n    services: [htps]\n")),
        new("ZC1004", "A flow cites an exception that is not declared under exceptions.",
            Yaml("rules/flows.yaml", "flows:\n  - id: F1\n    from: A\n    to: B\n    services: [https]\n    exception: EXC-2025-07\n")),
        new("ZC1005", "A CIDR prefix has bits set after its length. Write the network address, or a single address without a length.",
            Yaml("zones/more.yaml", "zones:\n  - id: C\n    layer: lgwan\n    kind: server\n    networks: [10.0.2.1/24]\n")),
        new("ZC1006", "Not an IPv4 or IPv6 address, prefix or range. IPv4 parts are plain decimal numbers (no leading zeros, no hex: 010.0.0.1 would mean 8.0.0.1 elsewhere); IPv6 zone ids (%eth0) are not allowed.",
            Yaml("zones/more.yaml", "zones:\n  - id: C\n    layer: lgwan\n    kind: server\n    networks: [010.0.2.0/24]\n")),
        new("ZC1007", "In a range first-last, the first address is greater than the last.",
            Yaml("zones/more.yaml", "zones:\n  - id: C\n    layer: lgwan\n    kind: server\n    networks: [10.0.2.20-10.0.2.10]\n")),
        new("ZC1008", "A range has an IPv4 address at one end and an IPv6 address at the other.",
            Yaml("zones/more.yaml", "zones:\n  - id: C\n    layer: lgwan\n    kind: server\n    networks: [10.0.2.1-2001:db8::1]\n")),
        new("ZC1009", "A TCP or UDP port, or the end of a port range, is above 65535.",
            Yaml("rules/flows.yaml", "flows:\n  - id: F1\n    from: A\n    to: B\n    services: [tcp/1-70000]\n")),
        new("ZC1010", "An ICMP or ICMPv6 type is neither a name nftables knows nor a number 0-255; a close name is suggested.",
            Yaml("rules/flows.yaml", "flows:\n  - id: F1\n    from: A\n    to: B\n    services: [icmp/echo-requset]\n")),
        new("ZC1011", "A date is not written YYYY-MM-DD, or does not exist (2027-02-30).",
            Yaml("rules/flows.yaml", "flows:\n  - id: F1\n    from: A\n    to: B\n    services: [https]\n    expires: 2027/03/31\n")),
        new("ZC1012", "A pinned host lies outside its zone's networks (for a zone of class internet: inside another zone, which owns it).",
            Yaml("rules/flows.yaml", "flows:\n  - id: F1\n    from: A\n    to: {zone: B, hosts: [10.0.9.5]}\n    services: [https]\n")),
        new("ZC1013", "Two zones share addresses. Only a zone of class internet may overlap others: it holds what no other zone holds.",
            Yaml("zones/more.yaml", "zones:\n  - id: C\n    layer: lgwan\n    kind: server\n    networks: [10.0.0.128/25]\n")),
        new("ZC1014", "A zone is listed on two interfaces of one firewall; a firewall reaches each zone through one interface.",
            Yaml("zones/more.yaml", "firewalls:\n  - id: fw2\n    vendor: nftables\n    interfaces:\n      - name: x0\n        zones: [A]\n      - name: x1\n        zones: [B, A]\n")),
        new("ZC1015", "The zones folder was read completely but declares no zone.",
            new(Check, [], p => p.File("zones/base.yaml", "firewalls: []\n"), "`zones/base.yaml` holds only `firewalls: []`.")),
        new("ZC1016", "A service spec does not follow tcp|udp/<port>[-<port>], icmp|icmpv6/<type>[/<code>] or ip[/<number>].",
            Yaml("rules/flows.yaml", "flows:\n  - id: F1\n    from: A\n    to: B\n    services: [tcp/443-80]\n")),
        new("ZC1017", "sanitiser is required on zones of kind sanitiser and allowed on no other zone.",
            Yaml("zones/more.yaml", "zones:\n  - id: C\n    layer: internet\n    kind: terminal\n    sanitiser: mail-text\n    networks: [10.0.2.0/24]\n")),
        new("ZC1018", "class is required on zones of layer external and allowed on no other zone.",
            Yaml("zones/more.yaml", "zones:\n  - id: C\n    layer: internet\n    kind: server\n    class: internet\n    networks: [10.0.2.0/24]\n")),
        new("ZC1019", "An interface name is declared twice on one firewall.",
            Yaml("zones/more.yaml", "firewalls:\n  - id: fw2\n    vendor: nftables\n    interfaces:\n      - name: x0\n        zones: [A]\n      - name: x0\n        zones: [B]\n")),
        new("ZC1020", "An ICMP code is not a number 0-255.",
            Yaml("rules/flows.yaml", "flows:\n  - id: F1\n    from: A\n    to: B\n    services: [icmp/3/256]\n")),
        new("ZC1021", "A policy setting is given twice. policy may be split over several files, but each setting is given once.",
            new(Check, [("rules/a.yaml", "policy:\n  municipality: 架空市\n  model: alpha\n"), ("rules/b.yaml", "policy:\n  model: beta\n")])),
        new("ZC1022", "An IP protocol number (ip/<number>) is above 255.",
            Yaml("rules/flows.yaml", "flows:\n  - id: F1\n    from: A\n    to: B\n    services: [ip/300]\n")),
        new("ZC1023", "A flow's sources and destinations have no address family in common (IPv4 only to IPv6 only), so it can never carry a packet.",
            Yaml("rules/flows.yaml", "flows:\n  - id: F1\n    from: A\n    to: {zone: B, hosts: [\"2001:db8:1::10\"]}\n    services: [https]\n")),
        new("ZC1024", "A service is named like a protocol keyword (tcp, udp, icmp, icmpv6, ip), which the service syntax reserves.",
            Yaml("rules/services.yaml", "services:\n  tcp: tcp/1-1023\n")),
        new("ZC1025", "A flow's services all belong to a family its ends do not share (ICMP between IPv6-only ends, ICMPv6 between IPv4-only ends), so it allows nothing; a warning, since the flow is harmless but surely not what was meant.",
            Yaml("rules/flows.yaml", "flows:\n  - id: F1\n    from: A\n    to: B\n    services: [icmpv6/echo-request]\n")),
        new("ZC1026", "A firewall-access entry names a firewall that is not declared in zones/.",
            Yaml("rules/access.yaml", "firewall-access:\n  - id: M1\n    firewall: fw9\n    from: A\n    services: [tcp/22]\n")),
        new("ZC1027", "A firewall-access entry lets a zone reach a firewall that has the zone on none of its interfaces.",
            new(Check, [
                ("zones/more.yaml", "zones:\n  - id: C\n    layer: lgwan\n    kind: mgmt\n    networks: [10.0.2.0/24]\n"),
                ("rules/access.yaml", "firewall-access:\n  - id: M1\n    firewall: fw1\n    from: C\n    services: [tcp/22]\n")])),
        new("ZC3001", "The command line is invalid: an unknown command or option, a missing value, an --as-of that is not a YYYY-MM-DD date, an unknown --model or --format, an empty --out or --output.",
            new(["check", "--as-of", "2027-02-30"], [])),
        new("ZC3002", "The output could not be written: the --out path is a file, no permission, a full disk, a generated file name taken by a folder, --output naming a folder. The output folder is left as it was: nothing changes in it before every file is staged, and a failure while files are replaced puts the replaced ones back (docs/architecture.md, \"Output guarantees\").",
            new(Compile, [], p => File.WriteAllText(p.PathOf("out"), "a file\n"), "`out` is an existing file, not a folder.")),
        new("ZC3003", "Two generated files would have the same name (compared case-insensitively, as on Windows and macOS).",
            null, "Not reachable with the built-in emitters: firewall ids are unique case-insensitively and nftables files end in .nft, so no name can clash with another firewall's or the matrix files. The check guards future emitters."),
        new("ZC3004", "The --out folder is the root of the file system or of a git repository (it holds .git), after links are resolved. zonec replaces and removes files in its output folder, so it never takes one that holds everything else; --force does not change this.",
            new(["compile", "--out", "/", "--as-of", "2026-01-01"], [])),
        new("ZC3005", "The --out folder exists and holds files zonec did not write, and no manifest (.zonec-manifest) that zonec can trust: none, a link, not UTF-8, a NUL byte, larger than 16 MiB. zonec cannot tell its own files from others there. Write to an empty or new folder, or add --force: zonec then replaces the files it generates, removes none, and writes a new manifest, so later runs need no --force.",
            new(Compile, [], p => p.File("out/notes.txt", "operator notes\n"), "`out` exists and holds `notes.txt`, and no manifest.")),
        new("ZC3006", "Another zonec run holds the output folder's lock (compile locks the folder from reading the previous output to the commit). zonec waits up to 30 s for it, then reports this; a run that was creating the same new folder at the same time is told too. Run again when the other run has finished.",
            null, "It needs two runs at once; OutputSafetyTests runs them (a second session on a locked folder, two runs creating the same folder)."),
        new("ZC3007", "A zonec run was stopped (killed, power loss) while it replaced files in the output folder. The next compile undoes the steps that run had done, from the journal it left, before it starts: the folder is back as it was before that run, then this run writes its own output.",
            new(Compile, [], InterruptedCommit, "A run was killed after it had replaced `fw1.nft` (its journal and the previous `fw1.nft` are in `out/.zonec-stage-1`).")),
        new("ZC3010", "A bug in zonec, not a problem of the input: an exception nothing else reports. zonec prints `zonec: internal error ZC3010: <exception> in <method>: <message>` and a second line saying what to report (the command line, the output, the stack trace, the smallest policy that shows it), and exits with code 3. The stack trace itself is printed only with --verbose or with ZONEC_STACK_TRACE=1 in the environment.",
            null, "no known input causes it. tests/ZoneCompiler.Tests/Cli/NoStackTraceTests.cs provokes one with a standard output that throws."),
        new("ZC3011", "Standard output could not be written (a full disk or device, as in `zonec rules > /dev/full`); exit code 2. A reader that stops early (`zonec check | head`) is not an error.",
            null, "the examples here run zonec in process; NoStackTraceTests runs the built zonec with its output on /dev/full."),
        new("ZC3012", "The policy has more zones than a flow matrix grid is written for (4096): matrix.md, matrix.csv and the md, csv and html formats of `zonec matrix` list the zone pairs that carry flows (CSV: `from,to,flows`) instead of a grid of zones x zones cells (729 million for 27,000 zones, more than one file can hold). JSON and DOT always list pairs. Located at the first zone beyond the grid.",
            null, "it takes 4097 zones; tests/ZoneCompiler.Tests/Cli/MatrixScaleTests.cs and NoStackTraceTests show the output."),
        new("ZC3013", "The flow matrix would have more than 2,000,000 entries (each flow adds its source zones times its destination zones). No matrix is written, so `compile` writes nothing and `check` reports it too; located at the flow that goes over the limit. Narrow the flows with the longest from and to lists.",
            null, "it takes more than 2,000,000 zone pairs; MatrixScaleTests lowers the limit to show it."),
        new("ZC4001", "Two things would get the same name in a vendor's configuration (after the vendor's character set and length limits are applied); rename one of the ids.",
            Yaml("zones/more.yaml", "firewalls:\n  - id: srx\n    vendor: juniper-srx\n    interfaces:\n      - name: ge-0/0/1\n        zones: [A]\n      - name: ge-0/0/1.0\n        zones: [B]\n", Compile)),
        new("ZC4002", "The firewall's vendor cannot express a flow exactly (for example a protocol its stateful engine does not track); the flow is not emitted for that firewall and compile writes nothing.",
            new(Compile, [
                ("zones/more.yaml", "firewalls:\n  - id: asa\n    vendor: cisco-asa\n    interfaces:\n      - name: inside\n        zones: [A]\n      - name: dmz\n        zones: [B]\n"),
                ("rules/gre.yaml", "flows:\n  - id: GRE\n    from: A\n    to: B\n    services: [ip/47]\n    purpose: tunnel\n")])),
        VendorNotAvailable(),
        new("ZC4004", "An interface name is not valid for the firewall's declared vendor (its character set, length or reserved words); rename the interface.",
            Yaml("zones/more.yaml", "firewalls:\n  - id: fg\n    vendor: fortigate\n    interfaces:\n      - name: any\n        zones: [A]\n      - name: port2\n        zones: [B]\n", Compile)),
        new("ZC4005", "With --vendor (a preview in another vendor's syntax), an interface name that vendor cannot use is kept as written and reported; rename it before loading the output.",
            Yaml("zones/more.yaml", "firewalls:\n  - id: fw2\n    vendor: nftables\n    interfaces:\n      - name: ge-0/0/1\n        zones: [A]\n      - name: b1\n        zones: [B]\n",
                ["compile", "--vendor", "fortigate", "--out", "out", "--as-of", "2026-01-01"])),
        new("ZC4006", "A user text (a name, an interface name, a comment) cannot be written exactly in the vendor's configuration: it holds a character or a length that would become syntax or be altered there. `check` reports it too. Each vendor's lexical contract decides; the vendor READMEs (tests/cases/example/expected/<vendor>/README.md) list what each position accepts.",
            Yaml("zones/more.yaml", "firewalls:\n  - id: fw2\n    vendor: nftables\n    name: \"edge\\nflush ruleset\"\n    interfaces:\n      - name: a1\n        zones: [A]\n      - name: b1\n        zones: [B]\n", Check)),
        new("ZC4007", "YAMAHA RTX has no global filter: a filter list is bound only on the interfaces the YAML declares. Traffic entering any other interface of the router (another LAN port, a PPPoE or tunnel interface) is checked only by the out list of the declared interface it leaves; between two undeclared interfaces, or to the router itself, zonec filters nothing. A warning on every yamaha-rtx firewall, since zonec cannot know the router's other interfaces.",
            Yaml("zones/more.yaml", "firewalls:\n  - id: rtx\n    vendor: yamaha-rtx\n    interfaces:\n      - name: lan1\n        zones: [A]\n      - name: lan2\n        zones: [B]\n", Check)),
        new("ZC5001", "`verify` read a firewall's configuration back and found packets it allows that no declared flow (or firewall-access entry) allows on that interface pair. The location is the configuration line that allows them; the message names the firewall, the interfaces and one such packet. Exit code 1.",
            new(Verify, [], CompiledThen(t => t.Replace("tcp dport 443", "tcp dport 443-444", StringComparison.Ordinal)),
                "`out/fw1.nft` was compiled from the base policy, then its rule for F0 was edited by hand to `tcp dport 443-444`.") { ExitCode = 1 }),
        new("ZC5002", "`verify` found packets that a declared flow allows on a firewall and its configuration does not. The location is the flow; the message names the configuration line that denies the packet, or says that no line allows it. Exit code 1.",
            new(Verify, [], CompiledThen(t => string.Join('\n', t.Split('\n').Where(l => !l.Contains("comment \"F0\"", StringComparison.Ordinal)))),
                "`out/fw1.nft` was compiled from the base policy, then the rule of F0 was deleted by hand.") { ExitCode = 1 }),
        new("ZC5003", "`verify` found no configuration file for a declared firewall in the output folder: none named `<firewall-id><extension>` of any vendor (or of --vendor).",
            new(Verify, [], p => Directory.CreateDirectory(p.PathOf("out")), "`out/` is empty.")),
        new("ZC5004", "`verify` could not read a firewall's configuration: the vendor's reader does not understand a line (it names it). The reader covers what zonec writes and, for nftables, the usual hand-written forms; anything else cannot be vouched for.",
            new(Verify, [], CompiledThen(t => t.Replace("policy drop;", "policy accept;", StringComparison.Ordinal)),
                "The forward chain's policy in `out/fw1.nft` was changed by hand to `accept`.")),
        new("ZC5005", "The output folder holds configurations of several vendors for one firewall, none of them its declared vendor (two previews compiled into one folder); name the one to verify with --vendor.",
            new(Verify, [], p =>
            {
                Directory.CreateDirectory(p.PathOf("out"));
                File.WriteAllText(p.PathOf("out/fw1.iptables"), "");
                File.WriteAllText(p.PathOf("out/fw1.asa.cfg"), "");
            }, "`out/` holds `fw1.iptables` and `fw1.asa.cfg`; fw1 is declared as nftables.")),
        new("ZC5006", "`verify` lists at most --limit differences per firewall (default 100); this says that more exist.",
            new(["verify", "--out", "out", "--limit", "1"], [], CompiledThen(t => t.Replace("tcp dport 443", "tcp dport 444", StringComparison.Ordinal)),
                "The rule of F0 in `out/fw1.nft` was edited to port 444: one packet set is allowed but not declared, another declared but not allowed.")),
        new("ZC5010", "`zonec diff` compares two policies: two folders (OLD NEW, each holding zones/ and rules/) or two git revisions (--git REV1..REV2), never both and never one alone.",
            new(["diff", "old"], [], Note: "Only one folder is given.")),
        new("ZC5011", "The value of `diff --git` must name two revisions separated by `..`; `REV1...REV2` (a merge base) and revisions that start with `-` are refused.",
            new(["diff", "--git", "main"], [])),
        new("ZC5012", "`diff --git` reads zones/ and rules/ of each revision with `git rev-parse` and `git archive`; this says which step failed and git's own first error line: not inside a git repository, a revision that does not exist, a folder that does not exist at that revision, a --zones or --rules folder outside the repository, git not installed. git's line is quoted as git wrote it (git runs with LC_ALL=C, so it is English) in every language; under --lang ja zonec's own words around it are Japanese (`git からリビジョン 'no-such-rev' を読めない: fatal: Needed a single revision`).",
            null, "the message depends on the repository zonec runs in; tests/ZoneCompiler.Tests/Diff/DiffGitTests.cs shows each case, for example `zonec: error ZC5012: cannot read revision 'no-such-rev' from git: fatal: Needed a single revision`."),
        new("ZC5020", "`explain` takes one IP address or a zone id for each end (a close zone id is suggested). A prefix or a range is refused: give a zone id to ask about a whole zone.",
            new(["explain", "10.0.0.5", "10.0.1.256", "tcp/443"], [])),
        new("ZC5021", "An address `explain` is asked about lies in no zone of the policy, so no firewall placement applies to it. Add its network to a zone; a zone of class internet with 0.0.0.0/0 and ::/0 holds every address no other zone holds.",
            new(["explain", "10.0.0.5", "192.0.2.1", "tcp/443"], [])),
        new("ZC5022", "The service of `explain` is a service spec of the format (tcp/443, udp/53, icmp/echo-request, ip/47) or a service name of the policy; the reason is the one the format's parser gives.",
            new(["explain", "10.0.0.5", "10.0.1.5", "tcp/70000"], [])),
        new("ZC5023", "No packet matches the question: an IPv4 end with an IPv6 end, or an ICMP service of the other family (icmp is IPv4, icmpv6 IPv6).",
            new(["explain", "10.0.0.5", "2001:db8:1::5", "tcp/443"], [])),
        new("ZC5030", "`lint` found a configuration line that can never match: every packet it matches (on every interface pair it applies to) is matched first by earlier lines, which the message names. The line does nothing; delete it, or move it up if it was meant to win. Exact over the packet space, never sampled. A warning (exit 1 only with --fail-on warning).",
            new(Lint, [], CompiledThen(t => AfterF0(t, "        iifname \"a0\" oifname \"b0\" ip saddr 10.0.0.5 ip daddr @zone_B_v4 tcp dport 443 accept\n", before: false)),
                "A line for 10.0.0.5 was added by hand after F0's rule in `out/fw1.nft`: F0's rule matches all of it first.")),
        new("ZC5031", "`lint` found a configuration line whose removal changes nothing: it decides some packets, but the later lines it names would decide every one of them the same way. A deny line is reported only when later explicit deny lines take all its packets (never because of the implicit final deny), a catch-all deny (all packets of an address family) never is, and neither is a line that is part of a combination of two lists (a YAMAHA RTX in and out filter, a Cisco ASA control-plane entry and an icmp rule).",
            new(Lint, [], CompiledThen(t => AfterF0(t, "        iifname \"a0\" oifname \"b0\" ip saddr 10.0.0.5 ip daddr 10.0.1.0/24 tcp dport 443 accept\n", before: true)),
                "A line for 10.0.0.5 was added by hand before F0's rule in `out/fw1.nft`: F0's rule allows the same packets right after it.")),
        new("ZC5032", "`lint` found a configuration line that matches no packet at all: its address or service sets are empty together, or it is bound to traffic it never sees (forwarded traffic only, but to the device itself).",
            null, "The vendor readers refuse the lines zonec could show here (an IPv4 source with an IPv6 destination is ZC5004); hand-edited configurations of other readers can reach it."),
        new("ZC5033", "A declared flow allows nothing that other declared flows do not already allow on every firewall and interface pair that enforce it: removing it changes no firewall. The location is the covered flow; the message names the covering flows and where they are. A flow counts as covering only when it lasts as long (no `expires`, or a later one) and logs when the covered flow logs. Two identical flows cover each other and are both reported: remove one. Reported by `check` (text, JSON, SARIF level `warning`) and `lint`.",
            Yaml("rules/more.yaml", "flows:\n  - id: F1\n    from: A\n    to: { zone: B, hosts: [10.0.1.5] }\n    services: [https]\n")),
    ];

    /// <summary>The output a run leaves when it is killed in the middle of its commit (a journal of one carried-out step).</summary>
    private static void InterruptedCommit(TempPolicy p)
    {
        string outDir = p.PathOf("out");
        _ = p.Run("compile", "--out", outDir, "--as-of", "2026-01-01");
        string staging = Path.Combine(outDir, ".zonec-stage-1");
        Directory.CreateDirectory(Path.Combine(staging, "new"));
        Directory.CreateDirectory(Path.Combine(staging, "old"));
        File.Copy(Path.Combine(outDir, "fw1.nft"), Path.Combine(staging, "old", "fw1.nft"));
        File.WriteAllText(Path.Combine(outDir, "fw1.nft"), "new fw1\n");
        File.WriteAllText(Path.Combine(staging, "journal"), "zonec journal 1\nput fw1.nft 1\nend\n");
    }

    /// <summary>ZC4003 needs a vendor of the format that has no emitter yet; once every vendor has one, there is no example.</summary>
    private static DocEntry VendorNotAvailable()
    {
        const string Explanation = "A firewall's vendor is valid in the format but this version has no emitter for it; compile writes nothing.";
        var registry = global::ZoneCompiler.Emitters.EmitterRegistry.CreateDefault();
        string? vendor = Model.Vocabulary.Vendors.FirstOrDefault(v => registry.Find(v) is null);
        return vendor is null
            ? new("ZC4003", Explanation, null, "every vendor of the format has an emitter in this version.")
            : new("ZC4003", Explanation, Yaml("zones/more.yaml",
                $"firewalls:\n  - id: fw2\n    vendor: {vendor}\n    interfaces:\n      - name: lan1\n        zones: [A]\n      - name: lan2\n        zones: [B]\n",
                Compile));
    }

    public static string Generate()
    {
        var catalogue = CatalogueTests.Catalogue().ToDictionary(p => p.Descriptor.Id, p => p.Descriptor, StringComparer.Ordinal);
        var sb = new StringBuilder();
        sb.Append("# Diagnostics\n\n");
        sb.Append("<!-- Generated from src/ZoneCompiler.Core/Diagnostics/Descriptors.cs by tests/ZoneCompiler.Tests/Diagnostics/DiagnosticsDoc.cs.\n");
        sb.Append("     Do not edit by hand: run ZONEC_UPDATE_GOLDEN=1 dotnet test. -->\n\n");
        sb.Append("Every problem zonec finds in its input, command line or output has a stable id and is printed as\n");
        sb.Append("`path(line,col): error ID: message` (command-line problems as `zonec: error ID: message`). All of them\n");
        sb.Append("are reported in one run, sorted by path, line and column; any error makes `check` and `compile` exit\n");
        sb.Append("with code 2, and `compile` then writes nothing. Separation-rule findings (SEP-...) are documented with\n");
        sb.Append("the rules (docs/rules.md). Ids are never renumbered or reused. An internal error (ZC3010, a bug in zonec)\n");
        sb.Append("exits with code 3; exit code 1 means separation-rule errors and nothing else.\n\n");
        sb.Append("Each example below adds the file shown to a small valid policy (zones A 10.0.0.0/24 and B 10.0.1.0/24 +\n");
        sb.Append("2001:db8:1::/64, firewall fw1, service https, flow F0 from A to B) and shows what `zonec` printed, in\n");
        sb.Append("English and with `--lang ja`.\n\n");
        sb.Append("## Languages\n\n");
        sb.Append("Every command takes `--lang en|ja`; without it the environment variable `ZONEC_LANG` (`en` or `ja`) decides,\n");
        sb.Append("and English is the default (`--lang` wins over `ZONEC_LANG`; another value of either is ZC3001). The language\n");
        sb.Append("changes the messages only: the location, the words `error` and `warning` and the id stay as they are, so a\n");
        sb.Append("diagnostic reads `path(line,col): error ID: メッセージ` and tools parse it alike in both languages; the exit codes\n");
        sb.Append("do not change, and neither do generated files (configurations, the flow matrix, the manifest), which are the same\n");
        sb.Append("bytes in every language. Ids, keys, keywords and user values are printed as written. Besides diagnostics,\n");
        sb.Append("`--lang ja` covers the summaries, the `--verbose` timing lines, `--help` of every command, the command-line\n");
        sb.Append("parser's errors (ZC3001) and the internal-error advice (ZC3010). Texts zonec takes from elsewhere are quoted as\n");
        sb.Append("they were written, in English, inside zonec's Japanese words: the operating system's error messages (ZC0015,\n");
        sb.Append("ZC0023, ZC3002, ZC3011), the exception of an internal error (ZC3010), a .NET exception a configuration reader\n");
        sb.Append("trips over in a hand-edited file (ZC5004; the readers' own reasons are translated), and git's own error line\n");
        sb.Append("(ZC5012: git runs with `LC_ALL=C`). YAML syntax errors (ZC0001, YamlDotNet's own descriptions included) and a\n");
        sb.Append("vendor's reasons and rules (ZC4002, ZC4004-ZC4006) are translated. The reports of `diff`\n");
        sb.Append("(the pull-request comment) and `explain` (the text answer) are translated too. A test\n");
        sb.Append("(`tests/ZoneCompiler.Tests/Language/JapaneseOutputTests.cs`) runs every example below, every command on the\n");
        sb.Append("example city, `--help`, `--verbose` and bad command lines with `--lang ja` and fails on any English word outside\n");
        sb.Append("a short allow-list (ids, paths, options, units, protocol and vendor names, quoted user text).\n\n");
        sb.Append("## Translating messages\n\n");
        sb.Append("- A diagnostic: one line per id in `src/ZoneCompiler.Core/Diagnostics/Japanese.cs`,\n");
        sb.Append("  `[\"ZC5010\"] = J(\"タイトル\", \"メッセージ {0} ...\"),` with the placeholders of the English message (reorder them\n");
        sb.Append("  freely). When an argument holds zonec's own English words (a context such as `'from' of flow 'F1'`, a \"did you\n");
        sb.Append("  mean\" hint, a reason chosen from a fixed list), list its number after the message (`J(title, message, 1)`) and\n");
        sb.Append("  add the phrase to `Japanese.Phrases` (one line each) unless a pattern of `Japanese.Phrase` already covers it.\n");
        sb.Append("- A vendor's reason it cannot express a flow (ZC4002): a constant of\n");
        sb.Append("  `src/ZoneCompiler.Emitters/InexpressibleReasons.cs` (never a string at the call site) and its Japanese under the\n");
        sb.Append("  same English text in `Japanese.VendorReasons` (`src/ZoneCompiler.Core/Diagnostics/Japanese.Vendors.cs`). A YAML\n");
        sb.Append("  parser's message (ZC0001): `Japanese.YamlMessages` (`Japanese.Yaml.cs`); a test reads every message of\n");
        sb.Append("  YamlDotNet's scanner and parser from the assembly and fails for one without Japanese.\n");
        sb.Append("- A summary, status line or report text of a command: one field in `src/ZoneCompiler.Cli/Messages.cs`,\n");
        sb.Append("  `public static readonly Localized X = new(\"English {0}\", \"日本語 {0}\");`, printed with\n");
        sb.Append("  `Messages.X.Format(language, ...)`; a command gets its language with `Program.LanguageOf(parseResult, settings)`\n");
        sb.Append("  (`--lang` is an option of the root command, so a new command has it already).\n");
        sb.Append("- A separation rule: its `L(en, ja)` texts in `src/ZoneCompiler.Core/Rules/RuleCatalogue.cs`.\n");
        sb.Append("- A phrase of the `diff` Markdown or of the `explain` text answer: its field in each language's table,\n");
        sb.Append("  `src/ZoneCompiler.Cli/Reports/DiffText.cs` or `ExplainText.cs` (`ReportLanguageTests` checks the tables).\n");
        sb.Append("- A configuration reader's reason (ZC5004): at the throw site, `throw ConfigReadException.At(origin, $\"english\",\n");
        sb.Append("  $\"日本語\")` (or `Of` without an origin; `src/ZoneCompiler.Emitters/ConfigReadException.cs`). There is no other\n");
        sb.Append("  way to build one; `JapaneseReaderErrorTests` checks every Japanese text in the readers for English words.\n\n");
        sb.Append("`tests/ZoneCompiler.Tests/Language/` fails when a descriptor or a `Messages` field has no Japanese text or its\n");
        sb.Append("placeholders differ, and runs every example of this page with `--lang ja` and with `ZONEC_LANG=ja`. Then run\n");
        sb.Append("`ZONEC_UPDATE_GOLDEN=1 dotnet test` (CatalogueTests) to regenerate this page. Style: concise technical Japanese in\n");
        sb.Append("the plain form, the official layer names マイナンバー利用事務系, LGWAN接続系 and インターネット接続系.\n\n");
        sb.Append("## All diagnostics\n\n");
        sb.Append("| id | severity | title | 日本語 |\n|---|---|---|---|\n");
        foreach (var e in Entries)
        {
            var d = catalogue[e.Id];
            sb.Append(CultureInfo.InvariantCulture, $"| [{d.Id}](#{d.Id.ToLowerInvariant()}) | {Severity(d)} | {d.Title} | {d.TitleIn(Language.Japanese)} |\n");
        }

        foreach (var e in Entries)
        {
            var d = catalogue[e.Id];
            sb.Append(CultureInfo.InvariantCulture, $"\n## {d.Id}\n\n**{d.Title}** ({Severity(d)}). Message: `{d.MessageFormat}`\n\n");
            sb.Append(CultureInfo.InvariantCulture, $"日本語: **{d.TitleIn(Language.Japanese)}** `{Japanese.Texts[d.Id].MessageFormat}`\n\n{e.Explanation}\n\n");
            if (e.Example is null)
            {
                sb.Append(CultureInfo.InvariantCulture, $"No example: {e.NoExample}\n");
                continue;
            }

            if (e.Example.Note is not null)
            {
                sb.Append(e.Example.Note).Append('\n').Append('\n');
            }

            foreach (var (path, text) in e.Example.Files)
            {
                sb.Append(CultureInfo.InvariantCulture, $"`{path}`:\n\n```yaml\n{text}```\n\n");
            }

            sb.Append(CultureInfo.InvariantCulture, $"```console\n$ zonec {string.Join(' ', e.Example.Args)}\n");
            foreach (var line in Run(e))
            {
                sb.Append(line).Append('\n');
            }

            sb.Append(CultureInfo.InvariantCulture, $"$ zonec {string.Join(' ', e.Example.Args)} --lang ja\n");
            foreach (var line in Run(e, "--lang", "ja"))
            {
                sb.Append(line).Append('\n');
            }

            sb.Append("```\n");
        }

        return sb.ToString();
    }

    private static string Severity(DiagnosticDescriptor d) => d.Severity == DiagnosticSeverity.Error ? "error" : "warning";

    /// <summary>Runs the example; returns the printed lines that carry its id (fails when there is none).</summary>
    private static List<string> Run(DocEntry entry, params string[] extra)
    {
        var example = entry.Example!;
        using var p = Policies.Valid();
        foreach (var (path, text) in example.Files)
        {
            p.File(path, text);
        }

        example.Setup?.Invoke(p);
        string[] args = [.. example.Args.Select(a => a == "out" ? p.PathOf("out") : a), .. extra];
        var run = p.Run(args);
        var lines = run.Output.Split('\n').Where(l => l.Contains($" {entry.Id}: ", StringComparison.Ordinal)).ToList();
        bool error = CatalogueTests.Catalogue().Single(p => p.Descriptor.Id == entry.Id).Descriptor.Severity == DiagnosticSeverity.Error;
        if (lines.Count == 0 || (error && run.ExitCode != example.ExitCode))
        {
            throw new InvalidOperationException($"the example of {entry.Id} does not report it (exit {run.ExitCode}):\n{run.Output}");
        }

        return lines;
    }
}
