using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using ZoneCompiler.Model;
using ZoneCompiler.Net;
using static System.FormattableString;

namespace ZoneCompiler.Emitters.Iptables;

/// <summary>
/// A Linux host's netfilter tables as the iptables tools see them (IPv4 and IPv6 separately), written from
/// iptables(8), iptables-restore(8) and iptables-extensions(8), not from the emitter:
/// <list type="bullet">
/// <item>Tables hold built-in chains (with a policy) and user chains (policy <c>-</c>), each a list of rules.</item>
/// <item><c>iptables</c> commands: <c>-A</c>, <c>-I chain [n]</c>, <c>-D</c> (by rule or number), <c>-C</c>, <c>-F</c>,
/// <c>-X</c> (only an empty chain nothing jumps to), <c>-N</c> (not an existing one), <c>-P</c> (built-in chains only),
/// each with an exit status.</item>
/// <item><c>iptables-restore</c>: <c>*table</c> ... <c>COMMIT</c> sections, each applied atomically at COMMIT or not at
/// all. Without <c>--noflush</c> a section first empties the table: every rule goes and every user chain is deleted.
/// With <c>--noflush</c> nothing is flushed except that declaring an existing user chain (<c>:name - [0:0]</c>) empties
/// it; a declared chain that does not exist is created. Jumps must name an existing chain or a target when the
/// section is committed. Lines are read with a 10,240-byte buffer, so a longer line continues as a new line.</item>
/// <item>Names: chains at most 28 characters, interfaces at most 15, comments at most 255, log prefixes at most 29.</item>
/// </list>
/// <see cref="ISimulatedDevice.Load"/> runs the commands the file's header lists under "Load" (a shell line may be
/// <c>a || b</c>, stderr redirections are ignored); a failing command is a <see cref="DeviceLoadException"/>.
/// Foreign configuration (chosen by the seed): an INPUT hardening rule and policy, fail2ban's chain and jump,
/// Docker's DOCKER-USER chain, jump and docker0 rule, the FORWARD policy, and a nat table.
/// </summary>
public sealed class IptablesSimulator : IDeviceSimulator
{
    public string Vendor => "iptables";

    public ISimulatedDevice Create(Firewall firewall, int seed) => new IptablesDevice(firewall, seed);
}

/// <summary>One simulated host (see <see cref="IptablesSimulator"/>).</summary>
public sealed class IptablesDevice : ISimulatedDevice
{
    private const int LineBuffer = 10240;

    private static readonly ImmutableDictionary<string, ImmutableArray<string>> BuiltIn = new Dictionary<string, ImmutableArray<string>>
    {
        ["filter"] = ["INPUT", "FORWARD", "OUTPUT"],
        ["nat"] = ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"],
        ["mangle"] = ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"],
        ["raw"] = ["PREROUTING", "OUTPUT"],
        ["security"] = ["INPUT", "FORWARD", "OUTPUT"],
    }.ToImmutableDictionary(StringComparer.Ordinal);

    private static readonly ImmutableHashSet<string> Targets =
        ["ACCEPT", "DROP", "RETURN", "REJECT", "LOG", "MASQUERADE", "SNAT", "DNAT", "REDIRECT", "QUEUE", "NFQUEUE", "MARK", "CT", "TCPMSS"];

    private readonly Dictionary<IpFamily, Dictionary<string, Table>> _families = new()
    {
        [IpFamily.V4] = new(StringComparer.Ordinal),
        [IpFamily.V6] = new(StringComparer.Ordinal),
    };

    public IptablesDevice(Firewall firewall, int seed)
    {
        var rng = new Random(seed);
        var declared = firewall.Interfaces.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        string docker = Enumerable.Range(0, 100).Select(n => Invariant($"docker{n}")).First(n => !declared.Contains(n));
        string uplink = Enumerable.Range(0, 100).Select(n => Invariant($"uplink{n}")).First(n => !declared.Contains(n));
        foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
        {
            string tool = family == IpFamily.V4 ? "iptables" : "ip6tables";
            string banned = family == IpFamily.V4 ? "203.0.113.7/32" : "2001:db8:dead::7/128";
            string reject = family == IpFamily.V4 ? "icmp-port-unreachable" : "icmp6-port-unreachable";
            var setup = new List<string>
            {
                Invariant($"{tool} -P INPUT {(rng.Next(2) == 0 ? "ACCEPT" : "DROP")}"),
                Invariant($"{tool} -P FORWARD {(rng.Next(2) == 0 ? "ACCEPT" : "DROP")}"),
                Invariant($"{tool} -A INPUT -i lo -j ACCEPT"),
                Invariant($"{tool} -A INPUT -p tcp -m tcp --dport 22 -j ACCEPT"),
            };
            if (rng.Next(4) != 0)
            {
                setup.Add(Invariant($"{tool} -N f2b-sshd"));
                setup.Add(Invariant($"{tool} -A f2b-sshd -s {banned} -j REJECT --reject-with {reject}"));
                setup.Add(Invariant($"{tool} -A f2b-sshd -j RETURN"));
                setup.Add(Invariant($"{tool} -I INPUT 1 -p tcp -m multiport --dports 22 -j f2b-sshd"));
            }

            if (rng.Next(4) != 0)
            {
                setup.Add(Invariant($"{tool} -N DOCKER-USER"));
                setup.Add(Invariant($"{tool} -A DOCKER-USER -j RETURN"));
                setup.Add(Invariant($"{tool} -A FORWARD -j DOCKER-USER"));
                setup.Add(Invariant($"{tool} -A FORWARD -i {docker} -o {docker} -j ACCEPT"));
                setup.Add(Invariant($"{tool} -t nat -A POSTROUTING -s {(family == IpFamily.V4 ? "172.17.0.0/16" : "fd00:172:17::/64")} -o {uplink} -j MASQUERADE"));
            }

            foreach (var line in setup)
            {
                if (!Shell(line, []))
                {
                    throw new InvalidOperationException("the foreign configuration does not load: " + line);
                }
            }
        }
    }

    private sealed class Table
    {
        public Dictionary<string, Chain> Chains { get; } = new(StringComparer.Ordinal);

        public Table Clone()
        {
            var copy = new Table();
            foreach (var (name, chain) in Chains)
            {
                copy.Chains[name] = new Chain(chain.Policy) { Rules = [.. chain.Rules] };
            }

            return copy;
        }
    }

    private sealed class Chain(string? policy)
    {
        /// <summary>ACCEPT/DROP for a built-in chain, null for a user chain.</summary>
        public string? Policy { get; set; } = policy;

        public List<ImmutableArray<string>> Rules { get; set; } = [];
    }

    public void Load(ImmutableArray<OutputFile> files)
    {
        foreach (var file in files.OrderBy(f => f.RelativePath, StringComparer.Ordinal))
        {
            var commands = LoadCommands(file.Content);
            if (commands.IsEmpty)
            {
                throw new DeviceLoadException(file.RelativePath + ": the header lists no load commands");
            }

            foreach (var command in commands)
            {
                if (!Shell(command, files))
                {
                    throw new DeviceLoadException(file.RelativePath + ": load command failed: " + command);
                }
            }
        }
    }

    public ReadAcl Effective() =>
        IptablesReader.ReadRunning(new[] { IpFamily.V4, IpFamily.V6 }.Select(f => (f, Save(f, "filter", own: true))));

    public string ForeignConfiguration()
    {
        var sb = new StringBuilder();
        foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
        {
            sb.Append(family == IpFamily.V4 ? "# IPv4\n" : "# IPv6\n");
            foreach (var table in _families[family].Keys.Order(StringComparer.Ordinal))
            {
                sb.Append(Save(family, table, own: false));
            }
        }

        return sb.ToString();
    }

    /// <summary>The table in iptables-save form (built-in chains first); without <paramref name="own"/>, zonec's chains and jumps are left out.</summary>
    public string Save(IpFamily family, string tableName, bool own)
    {
        var sb = new StringBuilder();
        sb.Append('*').Append(tableName).Append('\n');
        if (!_families[family].TryGetValue(tableName, out var table))
        {
            table = NewTable(tableName);
        }

        var order = BuiltIn[tableName].Concat(table.Chains.Keys.Where(c => !BuiltIn[tableName].Contains(c)).Order(StringComparer.Ordinal))
            .Where(c => own || !IsOwnChain(c)).ToList();
        foreach (var name in order)
        {
            sb.Append(':').Append(name).Append(' ').Append(table.Chains[name].Policy ?? "-").Append(" [0:0]\n");
        }

        foreach (var name in order)
        {
            foreach (var rule in table.Chains[name].Rules)
            {
                if (!own && IsOwnJump(rule))
                {
                    continue;
                }

                sb.Append("-A ").Append(name).Append(' ').Append(string.Join(' ', rule.Select(Quote))).Append('\n');
            }
        }

        sb.Append("COMMIT\n");
        return sb.ToString();
    }

    /// <summary>zonec's own chains: ZONEC-* and the z[ads]- chains of its flows.</summary>
    public static bool IsOwnChain(string name) =>
        name.StartsWith("ZONEC-", StringComparison.Ordinal)
        || (name.Length > 3 && name[0] == 'z' && name[1] is 'a' or 'd' or 's' && name[2] == '-');

    private static bool IsOwnJump(ImmutableArray<string> rule) => rule is ["-j", var target] && target.StartsWith("ZONEC-", StringComparison.Ordinal);

    private static string Quote(string token) =>
        token.Length > 0 && token.All(c => c > ' ' && c != '"' && c != '\\') ? token : "\"" + token.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>The command lines under "# Load" in the header: comment lines indented by three spaces after a colon line.</summary>
    public static ImmutableArray<string> LoadCommands(string content)
    {
        var result = ImmutableArray.CreateBuilder<string>();
        bool inLoad = false;
        foreach (var line in content.Split('\n'))
        {
            if (!line.StartsWith('#'))
            {
                break;
            }

            if (line.StartsWith("# Load", StringComparison.Ordinal))
            {
                inLoad = true;
                continue;
            }

            if (inLoad && line.StartsWith("#   ", StringComparison.Ordinal))
            {
                result.Add(line[4..]);
            }
            else if (inLoad && result.Count > 0)
            {
                break;
            }
        }

        return result.ToImmutable();
    }

    /// <summary>Runs one shell line (<c>a || b</c>; <c>2&gt;/dev/null</c> ignored); true when it exits 0.</summary>
    private bool Shell(string line, ImmutableArray<OutputFile> files)
    {
        foreach (var part in line.Split(" || "))
        {
            var argv = part.Replace(" 2>/dev/null", "", StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (argv.Length == 0)
            {
                throw new DeviceLoadException("empty command in: " + line);
            }

            bool ok = argv[0] switch
            {
                "iptables" => Command(IpFamily.V4, "filter", argv[1..], _families[IpFamily.V4]),
                "ip6tables" => Command(IpFamily.V6, "filter", argv[1..], _families[IpFamily.V6]),
                "iptables-restore" => Restore(IpFamily.V4, argv[1..], files),
                "ip6tables-restore" => Restore(IpFamily.V6, argv[1..], files),
                _ => throw new DeviceLoadException("not an iptables command: " + part),
            };
            if (ok)
            {
                return true;
            }
        }

        return false;
    }

    private static Table NewTable(string name)
    {
        var t = new Table();
        foreach (var chain in BuiltIn[name])
        {
            t.Chains[chain] = new Chain("ACCEPT");
        }

        return t;
    }

    private static Table TableOf(Dictionary<string, Table> tables, string name)
    {
        if (!tables.TryGetValue(name, out var t))
        {
            t = NewTable(name);
            tables[name] = t;
        }

        return t;
    }

    /// <summary>One iptables command on the tables (the live ones, or a restore's working copies); false = non-zero exit.</summary>
    private static bool Command(IpFamily family, string defaultTable, string[] args, Dictionary<string, Table> tables)
    {
        var list = args.Where(a => a is not ("-w" or "--wait")).ToList();
        string tableName = defaultTable;
        if (list.Count >= 2 && list[0] == "-t")
        {
            tableName = list[1];
            list.RemoveRange(0, 2);
        }

        if (!BuiltIn.ContainsKey(tableName) || list.Count == 0)
        {
            return false;
        }

        var table = TableOf(tables, tableName);
        string op = list[0];
        string? chainName = list.Count > 1 ? list[1] : null;
        var rest = list.Skip(2).ToImmutableArray();
        Chain? chain = chainName is not null && table.Chains.TryGetValue(chainName, out var c) ? c : null;
        switch (op)
        {
            case "-A":
                if (chain is null || !ValidRule(family, rest))
                {
                    return false;
                }

                chain.Rules.Add(rest);
                return true;
            case "-I":
                if (chain is null)
                {
                    return false;
                }

                int at = 1;
                if (rest.Length > 0 && int.TryParse(rest[0], NumberStyles.None, CultureInfo.InvariantCulture, out int n))
                {
                    at = n;
                    rest = rest[1..];
                }

                if (at < 1 || at > chain.Rules.Count + 1 || !ValidRule(family, rest))
                {
                    return false;
                }

                chain.Rules.Insert(at - 1, rest);
                return true;
            case "-D" or "-C":
                if (chain is null)
                {
                    return false;
                }

                int index = op == "-D" && rest.Length == 1 && int.TryParse(rest[0], NumberStyles.None, CultureInfo.InvariantCulture, out int number)
                    ? number - 1
                    : chain.Rules.FindIndex(r => r.SequenceEqual(rest, StringComparer.Ordinal));
                if (index < 0 || index >= chain.Rules.Count)
                {
                    return false;
                }

                if (op == "-D")
                {
                    chain.Rules.RemoveAt(index);
                }

                return true;
            case "-F":
                foreach (var ch in chainName is null ? [.. table.Chains.Values] : chain is null ? [] : new List<Chain> { chain })
                {
                    ch.Rules.Clear();
                }

                return chainName is null || chain is not null;
            case "-X":
                if (chainName is null)
                {
                    var removable = table.Chains.Where(kv => kv.Value.Policy is null).Select(kv => kv.Key).ToList();
                    return removable.All(name => Delete(table, name));
                }

                return chain is { Policy: null } && Delete(table, chainName);
            case "-N":
                if (chainName is null || chain is not null || !ValidChainName(chainName))
                {
                    return false;
                }

                table.Chains[chainName] = new Chain(null);
                return true;
            case "-P":
                if (chain is not { Policy: not null } || rest is not [("ACCEPT" or "DROP") and var policy])
                {
                    return false;
                }

                chain.Policy = policy;
                return true;
            default:
                return false;
        }
    }

    /// <summary>-X: the chain must be empty and nothing may jump to it.</summary>
    private static bool Delete(Table table, string name)
    {
        if (table.Chains[name].Rules.Count > 0 || table.Chains.Values.Any(c => c.Rules.Any(r => JumpTarget(r) == name)))
        {
            return false;
        }

        table.Chains.Remove(name);
        return true;
    }

    private static string? JumpTarget(ImmutableArray<string> rule)
    {
        for (int i = 0; i + 1 < rule.Length; i++)
        {
            if (rule[i] is "-j" or "-g")
            {
                return rule[i + 1];
            }
        }

        return null;
    }

    private static bool ValidChainName(string name) =>
        name.Length is > 0 and <= IptablesLexicon.MaxChainName && name[0] != '-' && name[0] != '!' && !Targets.Contains(name)
        && name.All(c => c > ' ' && c < 0x7F);

    /// <summary>The option checks iptables makes on a rule that matter here (lengths, values); the jump is resolved at COMMIT.</summary>
    private static bool ValidRule(IpFamily family, ImmutableArray<string> rule)
    {
        if (JumpTarget(rule) is null)
        {
            return false;
        }

        for (int i = 0; i < rule.Length; i++)
        {
            string? value = i + 1 < rule.Length ? rule[i + 1] : null;
            switch (rule[i])
            {
                case "-i" or "-o":
                    if (value is null || Encoding.UTF8.GetByteCount(value) > IptablesLexicon.MaxInterface || value.Length == 0)
                    {
                        return false;
                    }

                    break;
                case "--comment":
                    if (value is null || value.Length == 0 || Encoding.UTF8.GetByteCount(value) > IptablesLexicon.MaxComment)
                    {
                        return false;
                    }

                    break;
                case "--log-prefix":
                    if (value is null || Encoding.UTF8.GetByteCount(value) > IptablesLexicon.MaxLogPrefix)
                    {
                        return false;
                    }

                    break;
                case "-s" or "-d":
                    if (value is null || !IsPrefix(family, value))
                    {
                        return false;
                    }

                    break;
                case "-p":
                    if (value is null || !(value is "tcp" or "udp" or "icmp" or "ipv6-icmp"
                            || (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int p) && p is >= 0 and <= 255)))
                    {
                        return false;
                    }

                    break;
            }
        }

        return true;
    }

    private static bool IsPrefix(IpFamily family, string text)
    {
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && IpText.TryParseAddress(text[..slash], out var f, out _) && f == family
            && int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int length)
            && length <= (family == IpFamily.V4 ? 32 : 128);
    }

    /// <summary>iptables-restore [--noflush] FILE: each table section applied at its COMMIT, or the tool fails there.</summary>
    private bool Restore(IpFamily family, string[] args, ImmutableArray<OutputFile> files)
    {
        bool noflush = args.Contains("--noflush") || args.Contains("-n");
        var operands = args.Where(a => !a.StartsWith('-')).ToList();
        if (operands.Count != 1 || files.FirstOrDefault(f => f.RelativePath == operands[0]) is not { } file)
        {
            throw new DeviceLoadException("iptables-restore: no such file among the loaded ones: " + string.Join(" ", args));
        }

        var live = _families[family];
        Dictionary<string, Table>? work = null;
        string? section = null;
        foreach (var line in Lines(file.Content))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith('*'))
            {
                section = line[1..];
                if (!BuiltIn.ContainsKey(section) || work is not null)
                {
                    return false;
                }

                var table = live.TryGetValue(section, out var existing) ? existing.Clone() : NewTable(section);
                if (!noflush)
                {
                    foreach (var name in table.Chains.Keys.ToList())
                    {
                        if (table.Chains[name].Policy is null)
                        {
                            table.Chains.Remove(name);
                        }
                        else
                        {
                            table.Chains[name].Rules.Clear();
                        }
                    }
                }

                work = new Dictionary<string, Table>(StringComparer.Ordinal) { [section] = table };
                continue;
            }

            if (work is null || section is null)
            {
                return false;
            }

            var t = work[section];
            if (line == "COMMIT")
            {
                // Every jump must reach an existing chain or a target.
                if (t.Chains.Values.SelectMany(c => c.Rules).Select(JumpTarget).Any(j => j is not null && !Targets.Contains(j) && !t.Chains.ContainsKey(j)))
                {
                    return false;
                }

                live[section] = t;
                work = null;
                section = null;
                continue;
            }

            if (line.StartsWith(':'))
            {
                var parts = line[1..].Split(' ');
                if (parts.Length < 2)
                {
                    return false;
                }

                string name = parts[0];
                bool builtIn = BuiltIn[section].Contains(name);
                if (builtIn)
                {
                    if (parts[1] is not ("ACCEPT" or "DROP"))
                    {
                        return false;
                    }

                    t.Chains[name].Policy = parts[1];
                }
                else
                {
                    if (parts[1] != "-" || !ValidChainName(name))
                    {
                        return false;
                    }

                    if (t.Chains.TryGetValue(name, out var chain))
                    {
                        chain.Rules.Clear();
                    }
                    else
                    {
                        t.Chains[name] = new Chain(null);
                    }
                }

                continue;
            }

            var tokens = Tokenize(line);
            if (tokens is null || tokens.Count == 0 || tokens.Contains("-t") || !Command(family, section, [.. tokens], work))
            {
                return false;
            }
        }

        // A section without COMMIT is not applied and the tool fails.
        return work is null;
    }

    /// <summary>The lines as iptables-restore reads them: at most 10,239 bytes each, a longer line continues as a new one.</summary>
    private static IEnumerable<string> Lines(string content)
    {
        foreach (var raw in content.Split('\n'))
        {
            var bytes = Encoding.UTF8.GetBytes(raw);
            for (int start = 0; start == 0 || start < bytes.Length; start += LineBuffer - 1)
            {
                int length = Math.Min(LineBuffer - 1, bytes.Length - start);
                yield return Encoding.UTF8.GetString(bytes, start, length);
                if (length < LineBuffer - 1)
                {
                    break;
                }
            }
        }
    }

    /// <summary>Splits a restore line into words: blanks separate, double quotes group, a backslash escapes inside quotes.</summary>
    private static List<string>? Tokenize(string line)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        bool quoted = false;
        bool any = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted && c == '\\' && i + 1 < line.Length)
            {
                current.Append(line[++i]);
            }
            else if (c == '"')
            {
                quoted = !quoted;
                any = true;
            }
            else if (!quoted && c is ' ' or '\t')
            {
                if (any || current.Length > 0)
                {
                    tokens.Add(current.ToString());
                    current.Clear();
                    any = false;
                }
            }
            else
            {
                current.Append(c);
            }
        }

        if (quoted)
        {
            return null;
        }

        if (any || current.Length > 0)
        {
            tokens.Add(current.ToString());
        }

        return tokens;
    }
}
