using System.Text;

namespace ZoneCompiler.Emitters.JuniperSrx;

/// <summary>
/// A Junos configuration as the statement tree that <c>set</c> and <c>delete</c> commands edit (the subset of the
/// grammar this project meets), written from the Junos CLI documentation and independent of the emitter:
/// <list type="bullet">
/// <item><c>set A B C</c> creates every missing statement on the path; a statement that takes one value
/// (<c>description</c>, <c>protocol</c>, <c>destination-port</c>, an address's prefix, <c>default-policy</c>, ...) is
/// replaced, every other statement is added beside its siblings (lists: interfaces of a zone, members of an
/// address-set, <c>match application</c>, <c>apply-groups</c>). New statements go to the end: policies are ordered by
/// the first <c>set</c> that named them.</item>
/// <item><c>delete A B</c> removes the statement and everything under it; deleting a statement that does not exist is
/// refused (the emitter creates the group first, so it never relies on the CLI's warning).</item>
/// <item><c>groups NAME</c> holds statements that the configuration inherits through <c>apply-groups NAME</c> at the
/// top level; a statement configured outside the groups wins over an inherited one of the same name, lists are
/// united (Junos "Understanding the Junos Configuration Groups", "Configuring Sets of Statements with Configuration
/// Groups").</item>
/// </list>
/// </summary>
public sealed class JunosConfig
{
    /// <summary>One statement: a keyword or an identifier/value, with its children in configuration order.</summary>
    public sealed class Node(string name)
    {
        public string Name { get; } = name;

        public List<Node> Children { get; } = [];

        public Node? Child(string name) => Children.Find(c => string.Equals(c.Name, name, StringComparison.Ordinal));

        public Node Clone()
        {
            var copy = new Node(Name);
            copy.Children.AddRange(Children.Select(c => c.Clone()));
            return copy;
        }
    }

    public Node Root { get; private set; } = new("");

    public JunosConfig Clone() => new() { Root = Root.Clone() };

    /// <summary>Applies one line of a <c>load set</c> file; comments (<c>#</c>) and blank lines do nothing.</summary>
    /// <exception cref="ConfigReadException">The line is not a set/delete command this model understands.</exception>
    public void Apply(string line, string origin)
    {
        if (line.Length == 0 || line[0] == '#')
        {
            return;
        }

        var t = Tokenize(line, origin);
        if (t.Count < 2)
        {
            throw ConfigReadException.At(origin, $"incomplete command '{line}'", $"コマンド '{line}' が途中で終わっている");
        }

        switch (t[0])
        {
            case "set":
                Set(t.Skip(1).ToList());
                break;
            case "delete":
                if (!Delete(t.Skip(1).ToList()))
                {
                    throw ConfigReadException.At(origin, $"delete of a statement that does not exist: '{line}'", $"存在しない文の 'delete': '{line}'");
                }

                break;
            default:
                throw ConfigReadException.At(origin, $"not a set or delete command: '{line}'", $"'set' でも 'delete' でもないコマンド: '{line}'");
        }
    }

    public void Set(IReadOnlyList<string> path)
    {
        var node = Root;
        var at = new List<string>();
        foreach (var word in path)
        {
            var next = node.Child(word);
            if (next is null)
            {
                if (TakesOneValue(at))
                {
                    node.Children.Clear();
                }

                next = new Node(word);
                node.Children.Add(next);
            }

            at.Add(word);
            node = next;
        }
    }

    /// <summary>Removes the statement at the path; false when it does not exist.</summary>
    public bool Delete(IReadOnlyList<string> path)
    {
        var node = Root;
        for (int i = 0; i < path.Count - 1; i++)
        {
            node = node.Child(path[i]);
            if (node is null)
            {
                return false;
            }
        }

        var target = node.Child(path[^1]);
        return target is not null && node.Children.Remove(target);
    }

    /// <summary>
    /// Whether the statement at this path holds one value that a new <c>set</c> replaces (rather than a list or a
    /// container). <paramref name="path"/> is the path of the parent of the value.
    /// </summary>
    public static bool TakesOneValue(IReadOnlyList<string> path)
    {
        if (path.Count == 0)
        {
            return false;
        }

        string last = path[^1];
        if (last is "description" or "default-policy" or "protocol" or "destination-port" or "icmp-type" or "icmp-code"
            or "icmp6-type" or "icmp6-code" or "event-rate" or "mode" or "host-name")
        {
            return true;
        }

        // security address-book BOOK address NAME <prefix | range-address ...>
        return path.Count >= 4 && path[^2] == "address" && path[^4] == "address-book";
    }

    /// <summary>
    /// The configuration the device runs: the statements outside <c>groups</c>, with the groups named by the top-level
    /// <c>apply-groups</c> inherited in priority order (configured statements win over inherited ones).
    /// </summary>
    /// <exception cref="ConfigReadException">apply-groups names a group that does not exist (commit error).</exception>
    public Node Effective()
    {
        var result = new Node("");
        foreach (var c in Root.Children.Where(c => c.Name is not ("groups" or "apply-groups")))
        {
            result.Children.Add(c.Clone());
        }

        foreach (var g in Root.Child("apply-groups")?.Children ?? [])
        {
            var group = Root.Child("groups")?.Child(g.Name)
                ?? throw ConfigReadException.Of($"apply-groups names group '{g.Name}', which is not defined", $"'apply-groups' が定義されていないグループ '{g.Name}' を指している");
            Inherit(result, group, []);
        }

        return result;
    }

    private static void Inherit(Node target, Node from, List<string> path)
    {
        bool single = TakesOneValue(path);
        foreach (var c in from.Children)
        {
            var mine = target.Child(c.Name);
            if (mine is null)
            {
                if (single && target.Children.Count > 0)
                {
                    continue; // the configured value wins
                }

                target.Children.Add(c.Clone());
            }
            else
            {
                path.Add(c.Name);
                Inherit(mine, c, path);
                path.RemoveAt(path.Count - 1);
            }
        }
    }

    /// <summary>Every leaf path as a canonical <c>set</c> line (quoted where needed), except the paths excluded.</summary>
    public IEnumerable<string> SetLines(Func<IReadOnlyList<string>, bool> exclude)
    {
        var lines = new List<string>();
        void Walk(Node n, List<string> path)
        {
            if (path.Count > 0 && exclude(path))
            {
                return;
            }

            if (n.Children.Count == 0 && path.Count > 0)
            {
                lines.Add("set " + string.Join(' ', path.Select(Quote)));
                return;
            }

            foreach (var c in n.Children)
            {
                path.Add(c.Name);
                Walk(c, path);
                path.RemoveAt(path.Count - 1);
            }
        }

        Walk(Root, []);
        return lines;
    }

    private static string Quote(string word) =>
        word.Length > 0 && word.All(c => c > ' ' && c != '"' && c != ';' && c != '{' && c != '}' && c != '#') ? word : "\"" + word + "\"";

    /// <summary>
    /// Splits a command into words: spaces separate words; a double-quoted string is one word (no escapes: the emitter
    /// never writes a quote or a backslash inside one, and this model refuses them rather than guess).
    /// </summary>
    public static List<string> Tokenize(string text, string origin)
    {
        var tokens = new List<string>();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c == ' ')
            {
                i++;
                continue;
            }

            if (char.IsControl(c) || c == '\\')
            {
                throw ConfigReadException.At(origin, $"control character or backslash in '{text}'", $"'{text}' に制御文字かバックスラッシュがある");
            }

            if (c == '"')
            {
                int end = text.IndexOf('"', i + 1);
                if (end < 0)
                {
                    throw ConfigReadException.UnterminatedQuote(origin);
                }

                if (end + 1 < text.Length && text[end + 1] != ' ')
                {
                    throw ConfigReadException.At(origin, "text after a closing quote", "閉じた引用符の後に文字がある");
                }

                tokens.Add(text[(i + 1)..end]);
                i = end + 1;
                continue;
            }

            var sb = new StringBuilder();
            while (i < text.Length && text[i] != ' ')
            {
                if (text[i] is '"' or ';' or '{' or '}' or '\\' || char.IsControl(text[i]))
                {
                    throw ConfigReadException.At(origin, $"character '{text[i]}' inside a word in '{text}'", $"'{text}' の語の途中に文字 '{text[i]}' がある");
                }

                sb.Append(text[i]);
                i++;
            }

            tokens.Add(sb.ToString());
        }

        return tokens;
    }
}
