using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using ZoneCompiler.Acl;
using ZoneCompiler.Model;
using ZoneCompiler.Net;

namespace ZoneCompiler.Emitters.Nftables;

/// <summary>
/// A model of a Linux host's nftables ruleset and of <c>nft -f</c>, written from nft(8) and independent of the
/// emitter. The ruleset is a list of tables (family + name), each holding sets and chains. A file is one transaction
/// (nft(8): "the whole file is applied atomically"; any error and nothing changes):
/// <list type="bullet">
/// <item><c>table F N</c> (with or without a block) adds the table when it does not exist, and is a no-op otherwise;
/// the block's sets and chains are ADDED to what the table holds (an existing chain gets the rules appended, an
/// existing set gets the elements merged): this is why a file must delete the table to replace it.</item>
/// <item><c>delete table F N</c> removes the table with everything in it; a table that does not exist is an error
/// ("No such file or directory"), hence the emitter's empty <c>table inet zonec</c> declaration before it.</item>
/// <item><c>flush ruleset</c> removes every table (modelled so that an injected one is visible as lost foreign tables);
/// <c>flush table F N</c> empties one.</item>
/// <item>Refused as nft refuses them: comments over 128 bytes, log prefixes over 127 bytes, a newline inside a
/// string, a reference to a set the table does not hold, an unknown family or command.</item>
/// </list>
/// The device starts with foreign tables (chosen by the seed: the host's own <c>inet host</c> input filter, an
/// <c>ip nat</c> masquerade, sometimes a stale <c>inet zonec</c> of unknown content) on an interface the firewall does not
/// declare, so they decide no packet between the declared interfaces. <see cref="ISimulatedDevice.Effective"/> reads the
/// running <c>inet zonec</c> with <see cref="NftablesReader"/>: without that table the host forwards everything, and
/// without its input chain traffic to the host is the host's business (allowed here: the foreign input chain accepts it).
/// </summary>
public sealed class NftablesSimulator : IDeviceSimulator
{
    public string Vendor => "nftables";

    public ISimulatedDevice Create(Firewall firewall, int seed)
    {
        var device = new Device();
        string foreign = "hostif0";
        for (int i = 1; firewall.Interfaces.Any(f => string.Equals(f.Name, foreign, StringComparison.Ordinal)); i++)
        {
            foreign = "hostif" + i.ToString(CultureInfo.InvariantCulture);
        }

        var seedText = new StringBuilder();
        seedText.Append(CultureInfo.InvariantCulture, $$"""
            table inet host {
                chain input {
                    type filter hook input priority filter; policy accept;
                    iifname "{{foreign}}" tcp dport 22 accept comment "site ssh"
                    iifname "{{foreign}}" drop
                }
            }

            """);
        if (seed % 2 == 0)
        {
            seedText.Append(CultureInfo.InvariantCulture, $$"""
                table ip nat {
                    chain postrouting {
                        type nat hook postrouting priority srcnat; policy accept;
                        oifname "{{foreign}}" masquerade
                    }
                }

                """);
        }

        if (seed % 3 == 1)
        {
            // A zonec table of unknown content (an older version, a hand edit): the next load must replace it whole.
            seedText.Append("""
                table inet zonec {
                    chain stale {
                        accept comment "left over"
                    }
                }

                """);
        }

        device.Apply(seedText.ToString(), "<seed>");
        return device;
    }

    private sealed class Table(string family, string name)
    {
        public string Family { get; } = family;

        public string Name { get; } = name;

        public List<Block> Blocks { get; } = [];

        public Table Clone()
        {
            var t = new Table(Family, Name);
            t.Blocks.AddRange(Blocks.Select(b => b.Clone()));
            return t;
        }
    }

    /// <summary>A set (properties and elements) or a chain (type/policy spec and rules), each statement as canonical tokens.</summary>
    private sealed class Block(bool isSet, string name)
    {
        public bool IsSet { get; } = isSet;

        public string Name { get; } = name;

        public List<string> Properties { get; } = [];

        public List<string> Items { get; } = [];

        public Block Clone()
        {
            var b = new Block(IsSet, Name);
            b.Properties.AddRange(Properties);
            b.Items.AddRange(Items);
            return b;
        }
    }

    private sealed class Device : ISimulatedDevice
    {
        private static readonly string[] Families = ["ip", "ip6", "inet", "arp", "bridge", "netdev"];

        private List<Table> _tables = [];

        public void Load(ImmutableArray<OutputFile> files)
        {
            foreach (var file in files)
            {
                Apply(file.Content, file.RelativePath);
            }
        }

        public ReadAcl Effective()
        {
            var zonec = _tables.FirstOrDefault(t => t.Family == "inet" && t.Name == NftablesEmitter.TableName);
            var everything = new ReadRule(null, null, AddressSet.All, AddressSet.All, [new ServiceSpec(ServiceProtocol.Any)], Allow: true, "<no zonec table>")
            {
                Scope = RuleScope.Both,
            };
            if (zonec is null)
            {
                return new ReadAcl([everything]);
            }

            var ruleset = NftablesReader.ParseTable(Render(zonec), "<running inet zonec>");
            return ruleset.HasInput
                ? ruleset.Acl
                : new ReadAcl([.. ruleset.Acl.Rules, everything with { Scope = RuleScope.ToSelf, Origin = "<host input, not filtered by zonec>" }]);
        }

        public string ForeignConfiguration() =>
            string.Concat(_tables.Where(t => !(t.Family == "inet" && t.Name == NftablesEmitter.TableName)).Select(Render));

        /// <summary>Applies one file as one transaction: on any error nothing changes.</summary>
        public void Apply(string text, string path)
        {
            var work = _tables.Select(t => t.Clone()).ToList();
            var statements = Statements(text, path);
            int i = 0;
            while (i < statements.Count)
            {
                var (line, t) = statements[i++];
                if (t is ["add", "table", ..])
                {
                    t = t[1..];
                }

                switch (t)
                {
                    case ["table", var family, var name]:
                        Find(work, family, name, line, path, create: true);
                        break;
                    case ["table", var family, var name, "{"]:
                        i = Body(Find(work, family, name, line, path, create: true)!, statements, i, path);
                        break;
                    case ["delete", "table", var family, var name]:
                        var doomed = Find(work, family, name, line, path, create: false)
                            ?? throw Error(path, line, $"delete table {family} {name}: No such file or directory");
                        work.Remove(doomed);
                        break;
                    case ["flush", "table", var family, var name]:
                        (Find(work, family, name, line, path, create: false)
                            ?? throw Error(path, line, $"flush table {family} {name}: No such file or directory")).Blocks.Clear();
                        break;
                    case ["flush", "ruleset"]:
                        work.Clear();
                        break;
                    default:
                        throw Error(path, line, "syntax error: '" + string.Join(" ", t) + "'");
                }
            }

            foreach (var table in work)
            {
                foreach (var chain in table.Blocks.Where(b => !b.IsSet))
                {
                    foreach (var rule in chain.Items)
                    {
                        foreach (var word in rule.Split(' ').Where(w => w.StartsWith('@')))
                        {
                            if (!table.Blocks.Any(b => b.IsSet && b.Name == word[1..]))
                            {
                                throw Error(path, 0, $"Could not process rule: No such file or directory: set '{word[1..]}' in table {table.Family} {table.Name}");
                            }
                        }
                    }
                }
            }

            _tables = work;
        }

        private static Table? Find(List<Table> tables, string family, string name, int line, string path, bool create)
        {
            if (!Families.Contains(family, StringComparer.Ordinal))
            {
                throw Error(path, line, $"unknown family '{family}'");
            }

            var table = tables.FirstOrDefault(t => t.Family == family && t.Name == name);
            if (table is null && create)
            {
                table = new Table(family, name);
                tables.Add(table);
            }

            return table;
        }

        /// <summary>A table block: sets and chains up to the closing brace; returns the index after it.</summary>
        private static int Body(Table table, List<(int Line, string[] Tokens)> statements, int i, string path)
        {
            while (true)
            {
                if (i >= statements.Count)
                {
                    throw Error(path, statements[^1].Line, "syntax error: unexpected end of file in a table");
                }

                var (line, t) = statements[i++];
                switch (t)
                {
                    case ["}"]:
                        return i;
                    case [var kind and ("set" or "chain"), var name, "{"]:
                        bool isSet = kind == "set";
                        var block = table.Blocks.FirstOrDefault(b => b.Name == name && b.IsSet == isSet);
                        var incoming = new Block(isSet, name);
                        i = BlockBody(incoming, statements, i, path);
                        if (block is null)
                        {
                            table.Blocks.Add(incoming);
                        }
                        else if (!block.Properties.Where(p => !p.StartsWith("elements", StringComparison.Ordinal))
                                     .SequenceEqual(incoming.Properties.Where(p => !p.StartsWith("elements", StringComparison.Ordinal)), StringComparer.Ordinal)
                                 && incoming.Properties.Count > 0)
                        {
                            throw Error(path, line, $"{t[0]} '{name}' exists with different properties: File exists");
                        }
                        else
                        {
                            // nft adds: a chain's rules are appended, a set's elements merged.
                            block.Items.AddRange(incoming.Items);
                        }

                        break;
                    default:
                        throw Error(path, line, "syntax error in a table: '" + string.Join(" ", t) + "'");
                }
            }
        }

        private static int BlockBody(Block block, List<(int Line, string[] Tokens)> statements, int i, string path)
        {
            while (true)
            {
                if (i >= statements.Count)
                {
                    throw Error(path, statements[^1].Line, "syntax error: unexpected end of file in a block");
                }

                var (line, t) = statements[i++];
                if (t is ["}"])
                {
                    return i;
                }

                for (int k = 0; k + 1 < t.Length; k++)
                {
                    if (t[k] == "comment" && Utf8(t[k + 1]) - 2 > NftablesLexicon.MaxComment)
                    {
                        throw Error(path, line, "comment too long, 128 characters maximum allowed");
                    }

                    if (t[k] == "prefix" && k > 0 && t[k - 1] == "log" && Utf8(t[k + 1]) - 2 > NftablesLexicon.MaxLogPrefix)
                    {
                        throw Error(path, line, "Could not process rule: Numerical result out of range (log prefix)");
                    }
                }

                string text = string.Join(" ", t);
                if (block.IsSet)
                {
                    if (t is ["elements", "=", "{", ..])
                    {
                        int close = Array.IndexOf(t, "}");
                        if (close != t.Length - 1)
                        {
                            throw Error(path, line, "syntax error in the elements");
                        }

                        foreach (var element in t[3..close].Where(e => e != ","))
                        {
                            block.Items.Add(element);
                        }
                    }
                    else if (t is ["type", _] or ["flags", _] or ["comment", _])
                    {
                        block.Properties.Add(text);
                    }
                    else
                    {
                        throw Error(path, line, "syntax error in a set: '" + text + "'");
                    }
                }
                else if (t is ["type", ..] or ["policy", _])
                {
                    block.Properties.Add(text);
                }
                else
                {
                    block.Items.Add(text);
                }
            }
        }

        private static int Utf8(string token) => Encoding.UTF8.GetByteCount(token);

        /// <summary>
        /// Statements as nft reads them: <c>#</c> comments to the end of the line, <c>"..."</c> strings (no escape for a
        /// quote, no newline inside), <c>{</c> and <c>}</c> as statements of their own, <c>;</c> and newlines ending
        /// a statement except inside an anonymous set's braces.
        /// </summary>
        private static List<(int Line, string[] Tokens)> Statements(string text, string path)
        {
            var result = new List<(int, string[])>();
            var current = new List<string>();
            int line = 1;
            int depth = 0;
            int start = 1;

            void End()
            {
                if (current.Count > 0)
                {
                    result.Add((start, [.. current]));
                    current.Clear();
                }
            }

            void Add(string token)
            {
                if (current.Count == 0)
                {
                    start = line;
                }

                current.Add(token);
            }

            for (int i = 0; i < text.Length;)
            {
                char c = text[i];
                if (c == '\n')
                {
                    if (depth == 0)
                    {
                        End();
                    }

                    line++;
                    i++;
                }
                else if (c is ' ' or '\t')
                {
                    i++;
                }
                else if (c == '#')
                {
                    while (i < text.Length && text[i] != '\n')
                    {
                        i++;
                    }
                }
                else if (c == '"')
                {
                    int end = text.IndexOf('"', i + 1);
                    int newline = text.IndexOf('\n', i + 1);
                    if (end < 0 || (newline >= 0 && newline < end))
                    {
                        throw Error(path, line, "syntax error: unterminated string");
                    }

                    Add(text[i..(end + 1)]);
                    i = end + 1;
                }
                else if (c == ';')
                {
                    if (depth == 0)
                    {
                        End();
                    }

                    i++;
                }
                else if (c == '{')
                {
                    // A block opens after a table/set/chain header; anywhere else it is an anonymous set.
                    if (depth == 0 && current.Count > 0 && current[0] is "table" or "set" or "chain" or "add")
                    {
                        Add("{");
                        End();
                    }
                    else
                    {
                        Add("{");
                        depth++;
                    }

                    i++;
                }
                else if (c == '}')
                {
                    if (depth > 0)
                    {
                        Add("}");
                        depth--;
                    }
                    else
                    {
                        End();
                        Add("}");
                        End();
                    }

                    i++;
                }
                else if (c == ',')
                {
                    Add(",");
                    i++;
                }
                else
                {
                    int s = i;
                    while (i < text.Length && text[i] is not (' ' or '\t' or '\n' or '"' or '{' or '}' or ',' or ';' or '#'))
                    {
                        i++;
                    }

                    Add(text[s..i]);
                }
            }

            End();
            if (depth != 0)
            {
                throw Error(path, line, "syntax error: unbalanced braces");
            }

            return result;
        }

        private static string Render(Table table)
        {
            var sb = new StringBuilder();
            sb.Append(CultureInfo.InvariantCulture, $"table {table.Family} {table.Name} {{\n");
            foreach (var block in table.Blocks.Where(b => b.IsSet).Concat(table.Blocks.Where(b => !b.IsSet)))
            {
                sb.Append(CultureInfo.InvariantCulture, $"    {(block.IsSet ? "set" : "chain")} {block.Name} {{\n");
                if (block.IsSet)
                {
                    foreach (var p in block.Properties)
                    {
                        sb.Append("        ").Append(p).Append('\n');
                    }

                    if (block.Items.Count > 0)
                    {
                        sb.Append("        elements = { ").Append(string.Join(", ", block.Items)).Append(" }\n");
                    }
                }
                else
                {
                    if (block.Properties.Count > 0)
                    {
                        sb.Append("        ").Append(string.Join("; ", block.Properties)).Append(";\n");
                    }

                    foreach (var rule in block.Items)
                    {
                        sb.Append("        ").Append(rule).Append('\n');
                    }
                }

                sb.Append("    }\n");
            }

            sb.Append("}\n");
            return sb.ToString();
        }

        private static DeviceLoadException Error(string path, int line, string message) =>
            new(string.Create(CultureInfo.InvariantCulture, $"{path}({line}): {message}"));
    }
}
