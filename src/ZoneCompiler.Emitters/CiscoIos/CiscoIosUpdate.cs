using System.Collections.Immutable;
using System.Text;

namespace ZoneCompiler.Emitters.CiscoIos;

/// <summary>
/// One top-level object of the IOS-XE output: its header line (<c>object-group network zn-A</c>) and its indented
/// lines. The whole file is a list of these; the update file is computed from two such lists.
/// </summary>
public sealed record IosBlock(string Header, ImmutableArray<string> Children)
{
    /// <summary>The object's identity: the header, except a zone-pair (by name) and the global logging line.</summary>
    public string Key =>
        Header.StartsWith("zone-pair security ", StringComparison.Ordinal) ? string.Join(' ', Header.Split(' ').Take(3))
        : Header.StartsWith("logging rate-limit ", StringComparison.Ordinal) ? "logging rate-limit"
        : Header;

    /// <summary>The header line; get-only, so that a copy made with <c>with</c> cannot disagree with <see cref="Rank"/>.</summary>
    public string Header { get; } = Header;

    /// <summary>
    /// The creation order of the kinds (referenced objects first); removals run in the reverse order. -1: not a kind
    /// this emitter writes. Computed once: the writer and the update file ask for it several times per block.
    /// </summary>
    public int Rank { get; } = RankOf(Header);

    private static int RankOf(string header) => header.Split(' ') switch
    {
        ["logging", "rate-limit", ..] => 0,
        ["parameter-map", "type", "inspect", _] or ["parameter-map", "type", "inspect-global"] => 1,
        ["zone", "security", _] => 2,
        ["object-group", "network" or "service", _] => 3,
        ["ip", "access-list", "extended", _] or ["ipv6", "access-list", _] => 4,
        ["class-map", "type", "inspect", "match-any", _] => 5,
        ["policy-map", "type", "inspect", _] => 6,
        ["zone-pair", "security", _, "source", _, "destination", _] => 7,
        ["interface", _] => 8,
        _ => -1,
    };

    /// <summary>The command that deletes the object (null: never deleted; an interface only leaves its zone).</summary>
    public IEnumerable<string> Delete()
    {
        var t = Header.Split(' ');
        switch (t)
        {
            case ["logging", ..] or ["parameter-map", "type", "inspect-global"]:
                yield break;
            case ["class-map", "type", "inspect", "match-any", var n]:
                yield return "no class-map type inspect " + n;
                break;
            case ["zone-pair", "security", var n, ..]:
                yield return "no zone-pair security " + n;
                break;
            case ["interface", _]:
                yield return Header;
                foreach (var c in Children.Where(c => c.StartsWith(" zone-member security ", StringComparison.Ordinal)))
                {
                    yield return " no " + c.Trim();
                }

                break;
            default:
                yield return "no " + Header;
                break;
        }
    }

    /// <summary>The blocks of a configuration text (comments, <c>no</c> lines and <c>end</c> skipped; unknown kinds kept with rank -1).</summary>
    public static List<IosBlock> Parse(string text)
    {
        var blocks = new List<IosBlock>();
        string? header = null;
        var children = ImmutableArray.CreateBuilder<string>();
        void Flush()
        {
            if (header is not null)
            {
                blocks.Add(new IosBlock(header, children.ToImmutable()));
            }

            header = null;
            children.Clear();
        }

        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith('!'))
            {
                continue;
            }

            if (line.StartsWith(' '))
            {
                if (header is not null)
                {
                    children.Add(line);
                }

                continue;
            }

            Flush();
            if (line != "end" && !line.StartsWith("no ", StringComparison.Ordinal))
            {
                header = line;
            }
        }

        Flush();
        return blocks;
    }
}

/// <summary>
/// The update file: the commands that turn a device holding the previous compile's <c>ID.ios.cfg</c> into one holding
/// this compile's, in three passes so that nothing is ever referenced before it exists or deleted while in use:
/// (1) in creation order, new objects whole and the new members, entries, classes and settings of changed ones;
/// (2) in removal order, the members, entries and classes that changed objects no longer have;
/// (3) in removal order, the objects no longer produced. An access-list entry whose text changed is replaced in
/// place (<c>no N</c>, <c>N permit ...</c>): sequence numbers stay those of the full file, so the next update can
/// assume them.
/// </summary>
public static class CiscoIosUpdate
{
    public const string Suffix = ".ios-update.cfg";

    /// <summary>The update file's text.</summary>
    public static string Write(string firewall, string previousText, string fullText, IReadOnlyList<IosBlock> current)
    {
        var before = IosBlock.Parse(previousText).Where(b => b.Rank >= 0).GroupBy(b => b.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        var now = current.ToDictionary(b => b.Key, StringComparer.Ordinal);
        var add = new List<string>();
        var trim = new List<string>();
        var delete = new List<string>();

        foreach (var block in current.OrderBy(b => b.Rank))
        {
            if (!before.TryGetValue(block.Key, out var old))
            {
                add.Add(block.Header);
                add.AddRange(block.Children);
                continue;
            }

            if (old.Header == block.Header && old.Children.SequenceEqual(block.Children))
            {
                continue;
            }

            var (adds, removes) = Children(old, block);
            if (old.Header != block.Header && block.Rank == 7)
            {
                // A zone-pair whose zones changed cannot be edited: delete and re-create it.
                add.Add("no zone-pair security " + block.Header.Split(' ')[2]);
                add.Add(block.Header);
                add.AddRange(block.Children);
                continue;
            }

            if (adds.Count > 0 || old.Header != block.Header)
            {
                add.Add(block.Header);
                add.AddRange(adds);
            }

            if (removes.Count > 0)
            {
                trim.Add(block.Header);
                trim.AddRange(removes);
            }
        }

        foreach (var old in before.Values.OrderByDescending(b => b.Rank).ThenBy(b => b.Key, StringComparer.Ordinal))
        {
            if (!now.ContainsKey(old.Key))
            {
                delete.AddRange(old.Delete());
            }
        }

        // Pass 2 runs in removal order too (a policy-map's classes before the class-maps' matches, ...).
        var trimmed = new List<string>();
        foreach (var group in Groups(trim).OrderByDescending(g => new IosBlock(g[0], []).Rank))
        {
            trimmed.AddRange(group);
        }

        var w = new StringBuilder();
        void Line(string s) => w.Append(s).Append('\n');
        Line($"! zonec: update of the Cisco IOS-XE zone-based policy firewall configuration of firewall {firewall}");
        Line("! Generated by zonec from the policy and the previous compile's output; edit the YAML, not this file.");
        Line($"! Assumes the device holds the previous compile's {firewall}.ios.cfg, SHA-256 {Sha256.HexOf(previousText)}.");
        Line($"! Afterwards it holds this compile's {firewall}.ios.cfg, SHA-256 {Sha256.HexOf(fullText)}.");
        Line($"! Load (merge): copy {firewall}{Suffix} running-config. For a device in any other state, compile with");
        Line($"! --full and load {firewall}.ios.cfg instead. Before loading: copy running-config flash:zonec-before.cfg;");
        Line("! roll back with: configure replace flash:zonec-before.cfg (see README: configuration replace).");
        Line("! During the load a rule may briefly match the union of its old and new members (pass 1 adds before pass 2");
        Line("! removes); an access-list entry whose text changed is replaced in place, so new connections matching only");
        Line("! that entry are dropped for the moment between its two lines. Objects that are not zonec's are not touched.");
        if (add.Count + trimmed.Count + delete.Count == 0)
        {
            Line("! Nothing to change: the new configuration equals the previous one.");
        }

        foreach (var (title, lines) in new[] { ("1. new objects, and new members, entries and classes", add), ("2. members, entries and classes no longer produced", trimmed), ("3. objects no longer produced", delete) })
        {
            if (lines.Count == 0)
            {
                continue;
            }

            Line("!");
            Line("! " + title);
            foreach (var l in lines)
            {
                Line(l);
            }
        }

        Line("!");
        Line("end");
        return w.ToString();
    }

    private static List<List<string>> Groups(List<string> lines)
    {
        var groups = new List<List<string>>();
        foreach (var l in lines)
        {
            if (!l.StartsWith(' '))
            {
                groups.Add([l]);
            }
            else
            {
                groups[^1].Add(l);
            }
        }

        return groups;
    }

    /// <summary>The child commands that add (pass 1) and remove (pass 2) to turn <paramref name="old"/> into <paramref name="now"/>.</summary>
    private static (List<string> Add, List<string> Remove) Children(IosBlock old, IosBlock now) => now.Rank switch
    {
        4 => Entries(old, now),
        6 => Classes(old, now),
        _ => Settings(old, now),
    };

    /// <summary>Access-list entries by sequence number (changed ones replaced in place), remarks as a set.</summary>
    private static (List<string>, List<string>) Entries(IosBlock old, IosBlock now)
    {
        static (string? Seq, string Line) Split(string line)
        {
            var t = line.Trim().Split(' ');
            return t switch
            {
                ["sequence", var n, ..] => ("sequence " + n, line),
                [var n, ..] when n.Length > 0 && n.All(char.IsAsciiDigit) => (n, line),
                _ => (null, line),
            };
        }

        var was = old.Children.Select(Split).ToList();
        var will = now.Children.Select(Split).ToList();
        var wasBySeq = was.Where(e => e.Seq is not null).ToDictionary(e => e.Seq!, e => e.Line, StringComparer.Ordinal);
        var willBySeq = will.Where(e => e.Seq is not null).ToDictionary(e => e.Seq!, e => e.Line, StringComparer.Ordinal);
        var add = new List<string>();
        var remove = new List<string>();
        foreach (var r in will.Where(e => e.Seq is null).Select(e => e.Line).Except(was.Where(e => e.Seq is null).Select(e => e.Line), StringComparer.Ordinal))
        {
            add.Add(r);
        }

        foreach (var (seq, line) in will.Where(e => e.Seq is not null).Select(e => (e.Seq!, e.Line)))
        {
            if (wasBySeq.TryGetValue(seq, out var prior))
            {
                if (prior != line)
                {
                    add.Add(" no " + seq);
                    add.Add(line);
                }
            }
            else
            {
                add.Add(line);
            }
        }

        remove.AddRange(was.Where(e => e.Seq is not null && !willBySeq.ContainsKey(e.Seq)).Select(e => " no " + e.Seq));
        remove.AddRange(was.Where(e => e.Seq is null).Select(e => e.Line).Except(will.Where(e => e.Seq is null).Select(e => e.Line), StringComparer.Ordinal).Select(r => " no " + r.Trim()));
        return (add, remove);
    }

    /// <summary>A policy-map's classes: new ones and changed actions added, classes no longer produced removed.</summary>
    private static (List<string>, List<string>) Classes(IosBlock old, IosBlock now)
    {
        static List<(string Class, List<string> Actions)> Split(IosBlock b)
        {
            var list = new List<(string, List<string>)>();
            foreach (var c in b.Children)
            {
                if (c.StartsWith("  ", StringComparison.Ordinal) && list.Count > 0)
                {
                    list[^1].Item2.Add(c);
                }
                else
                {
                    list.Add((c, []));
                }
            }

            return list;
        }

        var was = Split(old).ToDictionary(c => c.Class, c => c.Actions, StringComparer.Ordinal);
        var will = Split(now);
        var add = new List<string>();
        foreach (var (cls, actions) in will)
        {
            if (!was.TryGetValue(cls, out var prior) || !prior.SequenceEqual(actions))
            {
                add.Add(cls);
                add.AddRange(actions);
            }
        }

        var keep = will.Select(c => c.Class).ToHashSet(StringComparer.Ordinal);
        var remove = Split(old).Select(c => c.Class).Where(c => !keep.Contains(c)).Select(c => " no " + c.Trim()).ToList();
        return (add, remove);
    }

    /// <summary>
    /// Members and settings as a set; a setting that holds one value (description, audit-trail) is replaced by the new
    /// line, a zone membership or a service-policy is removed before the new one is set.
    /// </summary>
    private static (List<string>, List<string>) Settings(IosBlock old, IosBlock now)
    {
        static string? Single(string line) => line.Trim().Split(' ') switch
        {
            ["description", ..] => "description",
            ["audit-trail", ..] => "audit-trail",
            ["service-policy", "type", "inspect", _] => "service-policy",
            ["zone-member", "security", _] => "zone-member",
            _ => null,
        };

        var add = new List<string>();
        var remove = new List<string>();
        var newSingles = now.Children.Where(c => Single(c) is not null).ToDictionary(c => Single(c)!, StringComparer.Ordinal);
        foreach (var c in now.Children.Except(old.Children, StringComparer.Ordinal))
        {
            if (Single(c) is "service-policy" or "zone-member" && old.Children.FirstOrDefault(o => Single(o) == Single(c)) is { } prior)
            {
                add.Add(" no " + prior.Trim());
            }

            add.Add(c);
        }

        foreach (var c in old.Children.Except(now.Children, StringComparer.Ordinal))
        {
            if (Single(c) is { } key && newSingles.ContainsKey(key))
            {
                continue;
            }

            remove.Add(" no " + c.Trim());
        }

        return (add, remove);
    }
}
