using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using ZoneCompiler.Net;
using ZoneCompiler.Syntax;
using ZoneCompiler.Text;

namespace ZoneCompiler.Semantics;

/// <summary>Where to read a policy from.</summary>
public sealed record PolicySource(string ZonesDirectory, string RulesDirectory);

/// <summary>The result of loading: the bound policy (null when any error was found) and every diagnostic.</summary>
public sealed record LoadResult(Policy? Policy, ImmutableArray<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
}

/// <summary>
/// Reads the zones/ and rules/ folders, checks structure and binds every reference. All problems are
/// reported together; the policy is returned only when there is no error.
/// </summary>
public static partial class PolicyLoader
{
    private static readonly string[] ZoneKeys =
        ["id", "name", "layer", "kind", "sanitiser", "class", "networks", "tags", "attributes"];

    private static readonly string[] AttributeKeys =
        ["mfa", "removable-media", "wireless", "edr", "redirection", "transfer-approval", "file-check", "wireless-auth",
         "attachments", "tenant-restriction"];

    private static readonly string[] FirewallKeys = ["id", "name", "vendor", "interfaces"];
    private static readonly string[] InterfaceKeys = ["name", "zones", "addresses"];
    private static readonly string[] AccessKeys = ["id", "firewall", "from", "services", "purpose", "owner", "log"];
    private static readonly string[] PolicyKeys = ["municipality", "model", "guideline", "human-measures"];

    private static readonly string[] FlowKeys =
        ["id", "from", "to", "services", "sanitiser", "special", "mac-pinned", "purpose", "owner", "log", "expires",
         "exception"];

    private static readonly string[] EndKeys = ["zone", "hosts"];

    private static readonly string[] ExceptionKeys =
        ["id", "waives", "approved-by", "approved-on", "expires", "justification"];

    private static readonly string[] ZonesFolderKeys = ["zones", "firewalls"];
    private static readonly string[] RulesFolderKeys = ["policy", "services", "flows", "exceptions", "firewall-access"];

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,31}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex ZoneIdPattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_.-]{0,47}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex FlowIdPattern();

    [GeneratedRegex("^[^/\\s]{1,64}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex ServiceNamePattern();

    public static LoadResult Load(PolicySource source, ReaderLimits? limits = null) => Load(source, limits, parsed: null);

    /// <param name="parsed">Told each file's tree as soon as it is parsed, before it is bound (tests: that earlier trees are not kept).</param>
    internal static LoadResult Load(PolicySource source, ReaderLimits? limits, Action<string, YNode>? parsed)
    {
        var diagnostics = new DiagnosticBag();
        var budget = new InputBudget(limits ?? ReaderLimits.Default);
        var buffers = new ReadBuffers();
        var zoneFiles = new List<(string Folder, string Display, YNode Root)>();
        bool zonesComplete = ReadFolder("zones", source.ZonesDirectory, budget, diagnostics, file =>
        {
            parsed?.Invoke(file.Display, file.Root);
            zoneFiles.Add(file);
        }, buffers);
        if (budget.Exceeded)
        {
            return new LoadResult(null, diagnostics.ToSortedArray());
        }

        // The zones and firewalls are bound on another thread while this one parses the first rules file (parsing
        // stays on one thread, see ReadFolder). They share nothing but the immutable trees; each side has its own
        // diagnostics, merged below (the result is sorted, so the order of adding does not matter).
        var zoneBinder = new Binder(new DiagnosticBag(), zonesComplete, null);
        var zonePart = Task.Run(() => zoneBinder.BindZoneFiles(zoneFiles));

        // The flows of each rules file are bound as soon as it is parsed and its tree dropped, so only one file's tree
        // is alive at a time (issue 9: the trees of all files beside the model were most of the peak memory).
        var ruleBinder = new Binder(new DiagnosticBag(), zonesComplete, zoneBinder);
        ReadFolder("rules", source.RulesDirectory, budget, diagnostics, file =>
        {
            parsed?.Invoke(file.Display, file.Root);
            ruleBinder.AddRuleFile(file, zonePart);
        }, buffers);
        var zones = zonePart.GetAwaiter().GetResult();
        if (budget.Exceeded)
        {
            // Past an input limit only that is reported: the rest of the policy was not read, so binding it would
            // only report what is missing.
            return new LoadResult(null, diagnostics.ToSortedArray());
        }

        var policy = ruleBinder.BindRuleFiles(zones);
        diagnostics.AddRange(ruleBinder.Diagnostics.Items);
        diagnostics.AddRange(zoneBinder.Diagnostics.Items);
        var sorted = diagnostics.ToSortedArray();
        bool failed = sorted.Any(d => d.Severity == DiagnosticSeverity.Error);
        return new LoadResult(failed ? null : policy, sorted);
    }

    /// <summary>The display path of a file: the folder as given, then the relative path with forward slashes.</summary>
    public static string DisplayPath(string folder, string relative) => PolicyFolder.DisplayPath(folder, relative);

    /// <summary>
    /// Reads every YAML file of a folder (listed by <see cref="PolicyFolder"/>: regular files only, links only to
    /// files inside); false when the folder is missing, empty, or a file or folder could not be read.
    /// </summary>
    private static bool ReadFolder(string what, string folder, InputBudget budget, DiagnosticBag diagnostics,
        Action<(string Folder, string Display, YNode Root)> add, ReadBuffers buffers)
    {
        string shown = folder.Replace('\\', '/');
        if (!Directory.Exists(folder))
        {
            diagnostics.Add(Descriptors.FolderMissing, SourceLocation.None(shown), what, shown);
            return false;
        }

        var paths = new List<PolicyFile>();
        bool complete = PolicyFolder.List(what, folder, budget, diagnostics, paths);
        if (budget.Exceeded)
        {
            return false;
        }

        if (paths.Count == 0)
        {
            if (complete)
            {
                diagnostics.Add(Descriptors.FolderEmpty, SourceLocation.None(shown), what, shown);
            }

            return false;
        }

        // Files are parsed one after the other: YamlDotNet interns every mapping key (string.IsInterned, one lock for
        // the process), so parsing on two threads measured 2-3 times slower than on one.
        foreach (var file in paths)
        {
            if (!budget.TryAddBytes(Math.Min(file.Size, budget.Limits.MaxFileBytes + 1), file.Display, diagnostics))
            {
                return false;
            }

            var root = YamlFileReader.ReadFile(file.FullPath, file.Display, budget, diagnostics, buffers);
            if (budget.Exceeded)
            {
                return false;
            }

            if (root is not null)
            {
                add((what, file.Display, root));
            }
            else
            {
                complete = false;
            }
        }

        return complete;
    }

    /// <summary>The zones and firewalls bound from the zones folder.</summary>
    private sealed record ZonePart(ImmutableArray<Zone> Zones, Dictionary<string, Zone> ZonesById,
        ImmutableArray<Firewall> Firewalls);

    /// <param name="zonesComplete">Whether every file of the zones folder was read (so "no zones" is a finding of its own).</param>
    /// <param name="zoneSide">The binder that bound the zones (its zone ids name the undefined ones), or null for that one.</param>
    private sealed class Binder(DiagnosticBag diagnostics, bool zonesComplete, Binder? zoneSide)
    {
        private readonly Dictionary<string, (string Id, SourceLocation At)> _zoneIds =
            zoneSide?._zoneIds ?? new(StringComparer.OrdinalIgnoreCase);

        /// <summary>The suggestion work this binder may still do (each binder has its own, so results do not depend on threads).</summary>
        private readonly SuggestionBudget _hints = new();

        /// <summary>Put in place of a node once it is bound, so its tree can be collected (see <see cref="Collect"/>).</summary>
        private static readonly YNode Bound = new YScalar("", 1, 1, "", isPlain: true);

        /// <summary>Inline service specs parsed so far (text, then the one text and spec every flow that writes it shares).</summary>
        private readonly Dictionary<string, (string Text, ImmutableArray<ServiceSpec> Specs)> _inlineSpecs = new(StringComparer.Ordinal);

        /// <summary>The flows bound so far, in declaration order (null where a flow has an error); see <see cref="BindFlows"/>.</summary>
        private readonly List<Flow?> _flows = [];

        private readonly Dictionary<string, (string Id, SourceLocation At)> _flowIds = new(StringComparer.OrdinalIgnoreCase);
        /// <summary>
        /// The flows (indexes into <see cref="_flows"/>, ascending) whose services name a service that waits for the
        /// whole folder: the item holds the name and its location, without specs, until <see cref="ResolveFlows"/>.
        /// </summary>
        private readonly List<int> _waitingFlows = [];

        /// <summary>
        /// The location of each named service of the waiting flows, in flow order, then item order (an item has no
        /// location of its own, so that flows can share their items; only an undefined name needs one).
        /// </summary>
        private readonly List<SourceLocation> _waitingNames = [];

        /// <summary>
        /// The flows' lists of service items bound so far by this binder, to share one array between the flows that write
        /// the same list (issue 9). Keyed by content before <see cref="ResolveFlows"/> fills in the names in place;
        /// emptied there, as the keys change.
        /// </summary>
        private readonly Dictionary<FlowService[], FlowService[]> _serviceLists = new(ServiceListComparer.Instance);

        /// <summary>The named services of flows that did not bind (only checked to be defined).</summary>
        private readonly List<(string Text, SourceLocation At)> _unboundNames = [];
        private readonly List<(string Text, SourceLocation At)> _pendingExceptions = [];

        /// <summary>
        /// The binders of the two halves of each file's flows, with their own diagnostics (merged by
        /// <see cref="BindRuleFiles"/>) and suggestion budgets, kept across files. Made on first use (a binder made for
        /// one of them has none).
        /// </summary>
        private Binder[] FlowBinders => field ??= [new(new DiagnosticBag(), false, this), new(new DiagnosticBag(), false, this)];

        private readonly List<YNode> _zoneNodes = [];
        private readonly List<YNode> _firewallNodes = [];
        private readonly List<YNode> _flowNodes = [];
        private readonly List<YNode> _accessNodes = [];
        private readonly List<YNode> _exceptionNodes = [];
        private readonly List<YEntry> _serviceEntries = [];
        private readonly List<YEntry> _policyEntries = [];
        private SourceLocation? _policyLocation;
        private bool _zonesComplete = zonesComplete;

        public DiagnosticBag Diagnostics => diagnostics;

        public ZonePart BindZoneFiles(List<(string Folder, string Display, YNode Root)> files)
        {
            var first = files.FirstOrDefault(f => f.Folder == "zones").Root?.Location ?? SourceLocation.None("zones");
            Collect(files);
            bool noZones = _zoneNodes.Count == 0;
            var zones = BindZones(_zoneNodes);
            if (noZones && _zonesComplete)
            {
                diagnostics.Add(Descriptors.NoZones, first);
            }

            var zonesById = zones.ToDictionary(z => z.Id, StringComparer.Ordinal);
            return new ZonePart(zones, zonesById, BindFirewalls(_firewallNodes, zonesById));
        }

        /// <summary>
        /// Takes one parsed rules file: its top-level entries are sorted into the lists to bind and its flows are bound
        /// at once (waiting for the zones), but for the named services and exceptions they refer to, which may be
        /// declared in a later file: those are resolved by <see cref="BindRuleFiles"/>.
        /// </summary>
        public void AddRuleFile((string Folder, string Display, YNode Root) file, Task<ZonePart> zones)
        {
            Collect([file]);
            if (_flowNodes.Count > 0)
            {
                BindFlows(_flowNodes, zones.GetAwaiter().GetResult().ZonesById);
            }
        }

        /// <summary>Binds what the rules files declared besides flows, then resolves the flows' references to it.</summary>
        public Policy BindRuleFiles(ZonePart zones)
        {
            var settings = _policyLocation is not { } policyLocation
                ? PolicySettings.Default
                : BindSettings(new YMapping(policyLocation, [.. _policyEntries]));
            var services = BindServices(_serviceEntries);
            var exceptions = BindExceptions(_exceptionNodes);
            var flows = ResolveFlows(services, exceptions);
            foreach (var part in FlowBinders)
            {
                diagnostics.AddRange(part.Diagnostics.Items);
            }

            var access = BindAccess(_accessNodes, zones, services);
            return new Policy(settings, zones.Zones, zones.Firewalls, services, flows, exceptions, access);
        }

        /// <summary>
        /// Sorts the top-level entries of the files into the lists to bind, and empties <paramref name="files"/>: from
        /// here on the lists hold the only references to the trees, and each item is dropped from its list as soon as
        /// it is bound, so the trees die while the model grows instead of both being alive at the end (issue 9).
        /// </summary>
        private void Collect(List<(string Folder, string Display, YNode Root)> files)
        {
            var zoneNodes = _zoneNodes;
            var firewallNodes = _firewallNodes;
            var flowNodes = _flowNodes;
            var exceptionNodes = _exceptionNodes;
            var serviceEntries = _serviceEntries;
            var policyEntries = _policyEntries;
            foreach (var (folder, _, root) in files)
            {
                if (root is YScalar { IsNull: true })
                {
                    continue;
                }

                if (root is not YMapping map)
                {
                    diagnostics.Add(Descriptors.WrongType, root.Location, "a policy file", "a mapping", root.KindName);
                    continue;
                }

                var own = folder == "zones" ? ZonesFolderKeys : RulesFolderKeys;
                var other = folder == "zones" ? RulesFolderKeys : ZonesFolderKeys;
                foreach (var entry in map.Entries)
                {
                    string key = entry.Key.Value;
                    if (!own.Contains(key, StringComparer.Ordinal))
                    {
                        if (other.Contains(key, StringComparer.Ordinal))
                        {
                            diagnostics.Add(Descriptors.WrongFolder, entry.Key.Location, key,
                                folder == "zones" ? "rules" : "zones", folder);
                        }
                        else
                        {
                            diagnostics.Add(Descriptors.UnknownKey, entry.Key.Location, key, $"the {folder} file",
                                Suggest.DidYouMean(key, own));
                        }

                        continue;
                    }

                    if (entry.Value is YScalar { IsNull: true })
                    {
                        continue;
                    }

                    switch (key)
                    {
                        case "zones":
                            _zonesComplete &= AddItems(entry, zoneNodes);
                            break;
                        case "firewalls":
                            AddItems(entry, firewallNodes);
                            break;
                        case "flows":
                            AddItems(entry, flowNodes);
                            break;
                        case "firewall-access":
                            AddItems(entry, _accessNodes);
                            break;
                        case "exceptions":
                            AddItems(entry, exceptionNodes);
                            break;
                        case "services":
                            if (entry.Value is YMapping sm)
                            {
                                serviceEntries.AddRange(sm.Entries);
                            }
                            else
                            {
                                diagnostics.Add(Descriptors.WrongType, entry.Value.Location, "'services'", "a mapping",
                                    entry.Value.KindName);
                            }

                            break;
                        case "policy":
                            if (entry.Value is not YMapping pm)
                            {
                                diagnostics.Add(Descriptors.WrongType, entry.Value.Location, "'policy'", "a mapping",
                                    entry.Value.KindName);
                            }
                            else
                            {
                                // policy may be split over files: entries merge, a key set twice is a duplicate.
                                _policyLocation ??= pm.Location;
                                foreach (var pe in pm.Entries)
                                {
                                    int earlier = policyEntries.FindIndex(e => string.Equals(e.Key.Value, pe.Key.Value, StringComparison.Ordinal));
                                    if (earlier >= 0)
                                    {
                                        diagnostics.Add(Descriptors.PolicyTwice, pe.Key.Location, pe.Key.Value,
                                            policyEntries[earlier].Key.Location.ToString());
                                    }
                                    else
                                    {
                                        policyEntries.Add(pe);
                                    }
                                }
                            }

                            break;
                    }
                }
            }

            files.Clear();
        }

        private bool AddItems(YEntry entry, List<YNode> into)
        {
            if (entry.Value is YSequence seq)
            {
                into.AddRange(seq.Items);
                return true;
            }

            diagnostics.Add(Descriptors.WrongType, entry.Value.Location, $"'{entry.Key.Value}'", "a list",
                entry.Value.KindName);
            return false;
        }

        /// <summary>Reads and checks an id; reports bad syntax and case-insensitive duplicates (naming both places).</summary>
        private string? Id(Fields f, string what, Regex pattern, string patternText,
            Dictionary<string, (string Id, SourceLocation At)> seen)
        {
            var s = f.Scalar("id", required: true);
            if (s is null)
            {
                return null;
            }

            if (!pattern.IsMatch(s.Value))
            {
                diagnostics.Add(Descriptors.InvalidId, s.Location, DiagnosticText.Show(s.Value), what, patternText);
                return null;
            }

            if (seen.TryGetValue(s.Value, out var first))
            {
                diagnostics.Add(Descriptors.DuplicateId, s.Location, what, s.Value, first.Id, first.At.ToString());
                return null;
            }

            seen.Add(s.Value, (s.Value, s.Location));
            return s.Value;
        }

        private ImmutableArray<Zone> BindZones(List<YNode> nodes)
        {
            var result = ImmutableArray.CreateBuilder<Zone>();
            var pending = new List<(string Id, SourceLocation At, Layer Layer, ZoneKind Kind, SanitiserMethod? San,
                ExternalClass? Class, ImmutableArray<AddressEntry> Networks, string? Name, ImmutableArray<string> Tags,
                ZoneAttributes Attributes)>();
            for (int i = 0; i < nodes.Count; i++)
            {
                var f = Fields.Open(nodes[i], What.Numbered("zone", i), ZoneKeys, diagnostics);
                nodes[i] = Bound;
                if (f is null)
                {
                    continue;
                }

                string? id = Id(f, "zone", ZoneIdPattern(), "^[A-Za-z][A-Za-z0-9_-]{0,31}$", _zoneIds);
                var fz = id is null ? f : f.WithContext(What.Named("zone", id));
                string? name = fz.Text("name");
                var layer = fz.Enum("layer", Vocabulary.Layers, required: true);
                var kind = fz.Enum("kind", Vocabulary.Kinds, required: true);
                var sanitiser = fz.Enum("sanitiser", Vocabulary.Sanitisers);
                var cls = fz.Enum("class", Vocabulary.Classes);
                var tags = fz.ScalarList("tags").Select(t => t.Value).ToImmutableArray();
                var attributes = BindAttributes(fz);
                var networks = ImmutableArray.CreateBuilder<AddressEntry>();
                foreach (var n in fz.ScalarList("networks", required: true))
                {
                    var set = ValueParsers.ParseAddress(n.Value, n.Location, diagnostics);
                    if (set is not null)
                    {
                        networks.Add(new AddressEntry(n.Value, set, n.Location));
                    }
                }

                if (kind is ZoneKind.Sanitiser && sanitiser is null && fz.Node("sanitiser") is null)
                {
                    diagnostics.Add(Descriptors.MissingKey, fz.Location, fz.Context + " (kind sanitiser)", "sanitiser");
                }
                else if (kind is not null and not ZoneKind.Sanitiser && fz.Node("sanitiser") is { } sn)
                {
                    diagnostics.Add(Descriptors.SanitiserMismatch, sn.Location,
                        $"'sanitiser' is only for zones of kind sanitiser; {fz.Context} is kind '{Vocabulary.Kinds.ToText(kind.Value)}'");
                }

                if (layer is Layer.External && cls is null && fz.Node("class") is null)
                {
                    diagnostics.Add(Descriptors.MissingKey, fz.Location, fz.Context + " (layer external)", "class");
                }
                else if (layer is not null and not Layer.External && fz.Node("class") is { } cn)
                {
                    diagnostics.Add(Descriptors.ClassMismatch, cn.Location,
                        $"'class' is only for external zones; {fz.Context} is in layer '{Vocabulary.Layers.ToText(layer.Value)}'");
                }

                if (id is null || layer is null || kind is null)
                {
                    continue;
                }

                // A class on a non-external zone is an error (above) and must not exempt the zone from the overlap
                // check the way class internet does.
                pending.Add((id, f.Scalar("id")!.Location, layer.Value, kind.Value, sanitiser,
                    layer is Layer.External ? cls : null,
                    networks.ToImmutable(), name, tags, attributes));
            }

            CheckOverlaps(pending.Select(p => (p.Id, p.Class, p.Networks)).ToList());

            // A zone of class internet holds what no other zone holds: most specific match wins.
            var specific = AddressSet.UnionAll(pending.Where(p => p.Class != ExternalClass.Internet)
                .SelectMany(p => p.Networks.Select(n => n.Addresses)));
            foreach (var p in pending)
            {
                var declared = AddressSet.UnionAll(p.Networks.Select(n => n.Addresses));
                var effective = p.Class == ExternalClass.Internet ? declared.Except(specific) : declared;
                result.Add(new Zone(p.Id, p.Name, p.Layer, p.Kind, p.San, p.Class, p.Networks, declared, effective,
                    p.Tags, p.Attributes, p.At));
            }

            return result.ToImmutable();
        }

        private ZoneAttributes BindAttributes(Fields zone)
        {
            var node = zone.Node("attributes");
            if (node is null)
            {
                return ZoneAttributes.None;
            }

            var a = Fields.Open(node, What.KeyOf("attributes", zone), AttributeKeys, diagnostics);
            if (a is null)
            {
                return ZoneAttributes.None;
            }

            return new ZoneAttributes(
                Mfa: a.Bool("mfa"),
                RemovableMedia: a.Enum("removable-media", Vocabulary.RemovableMediaValues),
                Wireless: a.Bool("wireless"),
                Edr: a.Bool("edr"),
                Redirection: a.Enum("redirection", Vocabulary.Redirections),
                TransferApproval: a.Bool("transfer-approval"),
                FileCheck: a.Bool("file-check"),
                WirelessAuth: a.Enum("wireless-auth", Vocabulary.WirelessAuths),
                Attachments: a.Enum("attachments", Vocabulary.AttachmentValues),
                TenantRestriction: a.Bool("tenant-restriction"));
        }

        /// <summary>Sweeps all networks by start address and reports overlaps between different zones.</summary>
        private void CheckOverlaps(List<(string Id, ExternalClass? Class, ImmutableArray<AddressEntry> Networks)> zones)
        {
            foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
            {
                var items = new List<(Interval Iv, string Zone, AddressEntry Entry)>();
                foreach (var (id, cls, networks) in zones)
                {
                    if (cls == ExternalClass.Internet)
                    {
                        continue;
                    }

                    foreach (var n in networks)
                    {
                        foreach (var iv in n.Addresses.Family(family).Intervals)
                        {
                            items.Add((iv, id, n));
                        }
                    }
                }

                items.Sort((a, b) =>
                {
                    int c = a.Iv.First.CompareTo(b.Iv.First);
                    return c != 0 ? c : a.Entry.Location.CompareTo(b.Entry.Location);
                });
                (Interval Iv, string Zone, AddressEntry Entry)? reach = null;
                foreach (var item in items)
                {
                    if (reach is { } r && item.Iv.First <= r.Iv.Last && !string.Equals(r.Zone, item.Zone, StringComparison.Ordinal))
                    {
                        // Report at the later declaration so the message points at the newcomer.
                        var (later, earlier) = item.Entry.Location.CompareTo(r.Entry.Location) >= 0 ? (item, r) : (r, item);
                        diagnostics.Add(Descriptors.OverlappingNetworks, later.Entry.Location, later.Entry.Text, later.Zone,
                            earlier.Entry.Text, earlier.Zone, earlier.Entry.Location.ToString());
                    }

                    if (reach is null || item.Iv.Last > reach.Value.Iv.Last)
                    {
                        reach = item;
                    }
                }
            }
        }

        private ImmutableArray<Firewall> BindFirewalls(List<YNode> nodes, Dictionary<string, Zone> zones)
        {
            var result = ImmutableArray.CreateBuilder<Firewall>();
            var seen = new Dictionary<string, (string, SourceLocation)>(StringComparer.OrdinalIgnoreCase);
            for (int i = 0; i < nodes.Count; i++)
            {
                var f = Fields.Open(nodes[i], What.Numbered("firewall", i), FirewallKeys, diagnostics);
                nodes[i] = Bound;
                if (f is null)
                {
                    continue;
                }

                string? id = Id(f, "firewall", ZoneIdPattern(), "^[A-Za-z][A-Za-z0-9_-]{0,31}$", seen);
                string context = id is null ? f.Context : $"firewall '{id}'";
                string? name = f.Text("name");
                var vendorScalar = f.Scalar("vendor", required: true);
                string? vendor = null;
                if (vendorScalar is not null)
                {
                    if (Vocabulary.Vendors.Contains(vendorScalar.Value, StringComparer.Ordinal))
                    {
                        vendor = vendorScalar.Value;
                    }
                    else
                    {
                        diagnostics.Add(Descriptors.InvalidEnum, vendorScalar.Location, vendorScalar.Value, "vendor",
                            string.Join(", ", Vocabulary.Vendors), Suggest.DidYouMean(vendorScalar.Value, Vocabulary.Vendors));
                    }
                }

                var interfaces = ImmutableArray.CreateBuilder<FirewallInterface>();
                var ifaceNode = f.Node("interfaces", required: true);
                var zoneToIface = new Dictionary<string, string>(StringComparer.Ordinal);
                var ifaceNames = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
                if (ifaceNode is YSequence seq)
                {
                    if (seq.Count == 0)
                    {
                        diagnostics.Add(Descriptors.EmptyList, seq.Location, $"'interfaces' of {context}");
                    }

                    foreach (var item in seq.Items)
                    {
                        var fi = Fields.Open(item, $"an interface of {context}", InterfaceKeys, diagnostics);
                        if (fi is null)
                        {
                            continue;
                        }

                        var ifName = fi.Scalar("name", required: true);
                        var ifZones = fi.ScalarList("zones", required: true);
                        if (ifName is null)
                        {
                            continue;
                        }

                        if (ifaceNames.TryGetValue(ifName.Value, out var firstIf))
                        {
                            diagnostics.Add(Descriptors.DuplicateInterface, ifName.Location, ifName.Value, id ?? "?",
                                firstIf.Line.ToString(CultureInfo.InvariantCulture));
                            continue;
                        }

                        ifaceNames.Add(ifName.Value, ifName.Location);
                        var list = ImmutableArray.CreateBuilder<string>();
                        foreach (var z in ifZones)
                        {
                            if (!zones.ContainsKey(z.Value))
                            {
                                ReportUndefinedZone(z);
                                continue;
                            }

                            if (zoneToIface.TryGetValue(z.Value, out var other))
                            {
                                diagnostics.Add(Descriptors.ZoneOnTwoInterfaces, z.Location, z.Value, other, ifName.Value,
                                    id ?? "?");
                                continue;
                            }

                            zoneToIface.Add(z.Value, ifName.Value);
                            list.Add(z.Value);
                        }

                        var own = ImmutableArray.CreateBuilder<AddressEntry>();
                        if (fi.Node("addresses") is { } addressesNode)
                        {
                            foreach (var a in Fields.ScalarItems(addressesNode, $"'addresses' of interface '{ifName.Value}' of {context}",
                                         allowSingle: true, diagnostics, nonEmpty: true))
                            {
                                if (ValueParsers.ParseAddress(a.Value, a.Location, diagnostics) is { } set)
                                {
                                    own.Add(new AddressEntry(a.Value, set, a.Location));
                                }
                            }
                        }

                        interfaces.Add(new FirewallInterface(ifName.Value, list.ToImmutable(), ifName.Location) { Addresses = own.ToImmutable() });
                    }
                }
                else if (ifaceNode is not null)
                {
                    diagnostics.Add(Descriptors.WrongType, ifaceNode.Location, $"'interfaces' of {context}", "a list",
                        ifaceNode.KindName);
                }

                if (id is not null && vendor is not null)
                {
                    result.Add(new Firewall(id, name, vendor, interfaces.ToImmutable(), f.Scalar("id")!.Location)
                    {
                        NameLocation = f.Scalar("name")?.Location,
                    });
                }
            }

            return result.ToImmutable();
        }

        private void ReportUndefinedZone(YScalar reference)
        {
            // No zone declared at all (folder missing, empty, unreadable or no zones): every reference would be
            // undefined, and the cause is reported already.
            if (_zoneIds.Count == 0)
            {
                return;
            }

            string hint;
            if (_zoneIds.TryGetValue(reference.Value, out var near))
            {
                // Declared with exactly this id but not bound (its declaration has an error, reported there).
                if (string.Equals(near.Id, reference.Value, StringComparison.Ordinal))
                {
                    return;
                }

                hint = $"; did you mean '{near.Id}'?";
            }
            else
            {
                hint = Suggest.DidYouMean(reference.Value, _zoneIds.Values.Select(v => v.Id), _hints);
            }

            diagnostics.Add(Descriptors.UndefinedZone, reference.Location, reference.Value, hint);
        }

        private PolicySettings BindSettings(YMapping node)
        {
            var f = Fields.Open(node, "'policy'", PolicyKeys, diagnostics)!;
            return new PolicySettings(
                f.Text("municipality"),
                f.Enum("model", Vocabulary.Models) ?? SeparationModel.Alpha,
                f.Text("guideline"),
                f.Bool("human-measures"),
                node.Location);
        }

        private ImmutableArray<NamedService> BindServices(List<YEntry> entries)
        {
            var result = ImmutableArray.CreateBuilder<NamedService>();
            var seen = new Dictionary<string, (string, SourceLocation)>(StringComparer.OrdinalIgnoreCase);
            foreach (var entry in entries)
            {
                var key = entry.Key;
                if (ValueParsers.IsProtocolKeyword(key.Value))
                {
                    diagnostics.Add(Descriptors.ReservedServiceName, key.Location, key.Value);
                    continue;
                }

                if (!ServiceNamePattern().IsMatch(key.Value))
                {
                    diagnostics.Add(Descriptors.InvalidId, key.Location, DiagnosticText.Show(key.Value), "service", "1-64 characters, no '/' or white space");
                    continue;
                }

                if (seen.TryGetValue(key.Value, out var first))
                {
                    diagnostics.Add(Descriptors.DuplicateId, key.Location, "service", key.Value, first.Item1, first.Item2.ToString());
                    continue;
                }

                seen.Add(key.Value, (key.Value, key.Location));
                var items = Fields.ScalarItems(entry.Value, $"service '{key.Value}'", allowSingle: true, diagnostics, nonEmpty: true);
                var specs = ImmutableArray.CreateBuilder<ServiceSpec>();
                foreach (var item in items)
                {
                    var spec = ValueParsers.ParseService(item.Value, item.Location, diagnostics);
                    if (spec is not null)
                    {
                        specs.Add(spec);
                    }
                }

                result.Add(new NamedService(key.Value, specs.ToImmutable(), key.Location));
            }

            return result.ToImmutable();
        }

        private ImmutableArray<PolicyException> BindExceptions(List<YNode> nodes)
        {
            var result = ImmutableArray.CreateBuilder<PolicyException>();
            var seen = new Dictionary<string, (string, SourceLocation)>(StringComparer.OrdinalIgnoreCase);
            for (int i = 0; i < nodes.Count; i++)
            {
                var f = Fields.Open(nodes[i], What.Numbered("exception", i), ExceptionKeys, diagnostics);
                if (f is null)
                {
                    continue;
                }

                string? id = Id(f, "exception", FlowIdPattern(), "^[A-Za-z][A-Za-z0-9_.-]{0,47}$", seen);
                var waives = f.ScalarList("waives", required: true).Select(s => s.Value).ToImmutableArray();
                var ex = new PolicyException(id ?? "", waives, f.Text("approved-by"), f.Date("approved-on"), f.Date("expires"),
                    f.Text("justification"), f.Scalar("id")?.Location ?? f.Location);
                if (id is not null)
                {
                    result.Add(ex);
                }
            }

            return result.ToImmutable();
        }

        /// <summary>
        /// Binds the flows of one rules file (appended to <see cref="_flows"/>, null where a flow has an error). Ids
        /// first, in order (the first of two equal ids is the one kept, across files); then the rest of each flow,
        /// which reads only the zones, on two threads for a large file, each with its own diagnostics and pending
        /// references (merged in flow order, so results do not depend on threads). Each node is dropped once bound.
        /// </summary>
        private void BindFlows(List<YNode> nodes, Dictionary<string, Zone> zones)
        {
            int count = nodes.Count;
            int first = _flows.Count;
            // Rented: for a file of 7,000 flows this is a large object, and large objects started most of the full
            // collections while loading (bench load-gcs; issue 9).
            var opened = ArrayPool<(Fields? Fields, string? Id)>.Shared.Rent(count);
            for (int i = 0; i < count; i++)
            {
                var f0 = Fields.Open(nodes[i], What.Numbered("flow", first + i), FlowKeys, diagnostics);
                if (f0 is not null)
                {
                    opened[i] = (f0, Id(f0, "flow", FlowIdPattern(), "^[A-Za-z][A-Za-z0-9_.-]{0,47}$", _flowIds));
                }
            }

            nodes.Clear();
            var flows = new Flow?[count];
            const int MinPerThread = 1024;
            int parts = Math.Clamp(count / MinPerThread, 1, 2);
            var pending = new Pending[parts];
            var binders = FlowBinders;
            Parallel.For(0, parts, part =>
            {
                var own = new Pending([], [], [], [], []);
                var binder = binders[part];
                var bag = binder.Diagnostics;
                int start = (int)((long)count * part / parts);
                int end = (int)((long)count * (part + 1) / parts);
                for (int i = start; i < end; i++)
                {
                    if (opened[i].Fields is { } f0)
                    {
                        flows[i] = binder.BindFlow(f0, opened[i].Id, bag, zones, own, first + i);
                        opened[i] = default;
                    }
                }

                pending[part] = own;
            });
            ArrayPool<(Fields? Fields, string? Id)>.Shared.Return(opened, clearArray: true);
            for (int part = 0; part < parts; part++)
            {
                _waitingFlows.AddRange(pending[part].Flows);
                _waitingNames.AddRange(pending[part].NameLocations);
                _unboundNames.AddRange(pending[part].UnboundNames);
                _pendingExceptions.AddRange(pending[part].Exceptions);
            }

            _flows.AddRange(flows);
        }

        /// <summary>
        /// Resolves what the flows refer to in other parts of the rules folder: named services (a flow that names an
        /// undefined one fails) and exceptions; then checks the address families of each flow whose services were
        /// pending. Returns the flows without errors, in declaration order.
        /// </summary>
        private ImmutableArray<Flow> ResolveFlows(ImmutableArray<NamedService> services, ImmutableArray<PolicyException> exceptions)
        {
            var exceptionIds = exceptions.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var (text, at) in _pendingExceptions)
            {
                if (!exceptionIds.Contains(text))
                {
                    diagnostics.Add(Descriptors.UndefinedException, at, text, Suggest.DidYouMean(text, exceptionIds, _hints));
                }
            }

            var table = services.ToDictionary(s => s.Name, StringComparer.Ordinal);
            foreach (var (text, at) in _unboundNames)
            {
                if (!table.ContainsKey(text))
                {
                    diagnostics.Add(Descriptors.UndefinedService, at, text, Suggest.DidYouMean(text, table.Keys, _hints));
                }
            }

            // The keys of the shared service lists change below.
            foreach (var binder in FlowBinders)
            {
                binder._serviceLists.Clear();
            }

            int name = 0;
            foreach (int index in _waitingFlows)
            {
                var flow = _flows[index]!;

                // The names are filled in where they wait, in the flow's array: BindFlowServices made it for this flow
                // or shares it with flows that wrote the same list (every one of them fills in the same names, so a
                // second flow finds them filled), and no flow leaves the loader before this method returns. A copy of
                // the array and of the flow (`with`) was made per flow before, at the point where the heap is largest
                // (issue 9). Every item that names a service waited and has its location in _waitingNames.
                var items = ImmutableCollectionsMarshal.AsArray(flow.Services)!;
                bool ok = true;
                for (int i = 0; i < items.Length; i++)
                {
                    var (text, isNamed, specs) = items[i];
                    if (!isNamed)
                    {
                        continue;
                    }

                    var at = _waitingNames[name++];
                    if (!specs.IsDefault)
                    {
                        continue;
                    }

                    if (table.TryGetValue(text, out var named))
                    {
                        // The service's own name: one string for every use (a large policy names services millions of times).
                        items[i] = new FlowService(named.Name, true, named.Specs);
                    }
                    else
                    {
                        diagnostics.Add(Descriptors.UndefinedService, at, text, Suggest.DidYouMean(text, table.Keys, _hints));
                        ok = false;
                    }
                }

                if (ok)
                {
                    CheckFamilies(flow, diagnostics);
                }

                _flows[index] = ok ? flow : null;
            }

            _waitingFlows.Clear();
            _waitingNames.Clear();
            _unboundNames.Clear();
            var result = ImmutableArray.CreateBuilder<Flow>(_flows.Count);
            foreach (var flow in _flows)
            {
                if (flow is not null)
                {
                    result.Add(flow);
                }
            }

            _flows.Clear();
            return result.Count == result.Capacity ? result.MoveToImmutable() : result.ToImmutable();
        }

        /// <summary>Binds <c>firewall-access</c>: traffic to the firewalls themselves.</summary>
        private ImmutableArray<LocalAccess> BindAccess(List<YNode> nodes, ZonePart zones, ImmutableArray<NamedService> services)
        {
            var result = ImmutableArray.CreateBuilder<LocalAccess>();
            var seen = new Dictionary<string, (string, SourceLocation)>(StringComparer.OrdinalIgnoreCase);
            var firewalls = zones.Firewalls.ToDictionary(fw => fw.Id, StringComparer.Ordinal);
            var serviceTable = services.ToDictionary(s => s.Name, StringComparer.Ordinal);
            for (int i = 0; i < nodes.Count; i++)
            {
                var f0 = Fields.Open(nodes[i], What.Numbered("firewall-access entry", i), AccessKeys, diagnostics);
                if (f0 is null)
                {
                    continue;
                }

                string? id = Id(f0, "firewall-access", FlowIdPattern(), "^[A-Za-z][A-Za-z0-9_.-]{0,47}$", seen);
                var f = id is null ? f0 : f0.WithContext(What.Named("firewall-access entry", id), diagnostics);
                var targets = ImmutableArray.CreateBuilder<Firewall>();
                foreach (var fwScalar in f.ScalarList("firewall", required: true))
                {
                    if (firewalls.TryGetValue(fwScalar.Value, out var fw))
                    {
                        if (!targets.Contains(fw))
                        {
                            targets.Add(fw);
                        }
                    }
                    else
                    {
                        diagnostics.Add(Descriptors.UndefinedFirewall, fwScalar.Location, fwScalar.Value,
                            Suggest.DidYouMean(fwScalar.Value, firewalls.Keys, _hints));
                    }
                }

                var from = BindEnds(f, "from", zones.ZonesById);
                var accessServices = BindFlowServices(f, serviceTable);
                string? purpose = f.Text("purpose");
                f.Text("owner");
                bool log = f.Bool("log") ?? true;
                bool ok = id is not null && from is not null && accessServices is not null && targets.Count > 0;
                if (from is not null)
                {
                    foreach (var fw in targets)
                    {
                        foreach (var end in from.Value)
                        {
                            if (fw.InterfaceOf(end.ZoneId) is null)
                            {
                                diagnostics.Add(Descriptors.ZoneNotOnFirewall, end.Location, end.ZoneId, fw.Id);
                                ok = false;
                            }
                        }
                    }
                }

                if (ok)
                {
                    result.Add(new LocalAccess(id!, [.. targets.Select(t => t.Id)], from!.Value, accessServices!.Value, purpose, log,
                        f.Scalar("id")!.Location));
                }
            }

            return result.ToImmutable();
        }

        /// <summary>References of flows to what may be declared in a later file (see <see cref="ResolveFlows"/>).</summary>
        /// <param name="Flows">The flows (indexes) that name a service, in order (see <see cref="_waitingFlows"/>).</param>
        /// <param name="NameLocations">Where those flows name services, in order (see <see cref="_waitingNames"/>).</param>
        /// <param name="UnboundNames">The named services of flows that did not bind.</param>
        /// <param name="Exceptions">The exceptions flows name.</param>
        /// <param name="Names">The named services of the flow being bound (scratch, cleared per flow).</param>
        private sealed record Pending(List<int> Flows, List<SourceLocation> NameLocations, List<(string Text, SourceLocation At)> UnboundNames,
            List<(string Text, SourceLocation At)> Exceptions, List<(string Text, SourceLocation At)> Names);

        /// <summary>
        /// Binds one flow whose id is checked already; its messages go to <paramref name="bag"/> (this binder's). A
        /// named service is left without specs (its item keeps the name and location) and the flow's index is recorded in
        /// <paramref name="pending"/>, with the exception named, to be resolved once every file is read; the family checks
        /// then wait for the specs too. A flow that does not bind leaves only its service names, to be checked.
        /// </summary>
        private Flow? BindFlow(Fields f0, string? id, DiagnosticBag bag, Dictionary<string, Zone> zones, Pending pending, int index)
        {
            var f = id is null ? f0.WithDiagnostics(bag) : f0.WithContext(What.Named("flow", id), bag);

            var from = BindEnds(f, "from", zones);
            var to = BindEnds(f, "to", zones);
            var names = pending.Names;
            names.Clear();
            var flowServices = BindFlowServices(f, null, names);
            var sanitiser = f.Enum("sanitiser", Vocabulary.Sanitisers);
            var special = f.Enum("special", Vocabulary.Specials);
            bool macPinned = f.Bool("mac-pinned") ?? false;
            string? purpose = f.Text("purpose");
            string? owner = f.Text("owner");
            bool log = f.Bool("log") ?? true;
            var expires = f.Date("expires");
            var exception = f.Scalar("exception");
            if (exception is not null)
            {
                pending.Exceptions.Add((exception.Value, exception.Location));
            }

            if (id is null || from is null || to is null || flowServices is null)
            {
                pending.UnboundNames.AddRange(names);
                return null;
            }

            var flow = new Flow(id, from.Value, to.Value, flowServices.Value, sanitiser, special, macPinned, purpose, owner,
                log, expires, exception?.Value, f.Scalar("id")!.Location);
            if (names.Count == 0)
            {
                CheckFamilies(flow, bag);
            }
            else
            {
                pending.Flows.Add(index);
                foreach (var (_, at) in names)
                {
                    pending.NameLocations.Add(at);
                }
            }

            return flow;
        }

        /// <summary>A flow must have an address family both ends have, and a service that applies to it.</summary>
        private static void CheckFamilies(Flow flow, DiagnosticBag bag)
        {
            bool v4 = HasFamily(flow.From, IpFamily.V4) && HasFamily(flow.To, IpFamily.V4);
            bool v6 = HasFamily(flow.From, IpFamily.V6) && HasFamily(flow.To, IpFamily.V6);
            if (!v4 && !v6)
            {
                bag.Add(Descriptors.NoFamilyOverlap, flow.Location, flow.Id);
            }
            else if (!(v4 && AnyApplies(flow.Services, IpFamily.V4)) && !(v6 && AnyApplies(flow.Services, IpFamily.V6)))
            {
                // e.g. icmp/echo-request between IPv6-only ends: every firewall would emit nothing for it.
                bag.Add(Descriptors.NoServiceForFamily, flow.Location, flow.Id,
                    v4 && v6 ? "IPv4 and IPv6" : v4 ? "IPv4" : "IPv6");
            }
        }

        /// <summary>Whether any end has addresses of the family (the union of the ends is then not empty there).</summary>
        private static bool HasFamily(ImmutableArray<FlowEnd> ends, IpFamily family)
        {
            foreach (var e in ends)
            {
                if (!e.Addresses.Family(family).IsEmpty)
                {
                    return true;
                }
            }

            return false;
        }

        private static bool AnyApplies(ImmutableArray<FlowService> services, IpFamily family)
        {
            foreach (var s in services)
            {
                foreach (var spec in s.Specs)
                {
                    if (spec.AppliesTo(family))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private ImmutableArray<FlowEnd>? BindEnds(Fields flow, string key, Dictionary<string, Zone> zones)
        {
            var node = flow.Node(key, required: true);
            if (node is null)
            {
                return null;
            }

            if (node is not YSequence seq)
            {
                var single = BindEnd(node, What.KeyOf(key, flow), zones);
                return single is { } one ? ImmutableArray.Create(one) : null;
            }

            var items = seq.Items;
            if (items.IsEmpty)
            {
                diagnostics.Add(Descriptors.EmptyList, node.Location, $"'{key}' of {flow.Context}");
                return null;
            }

            var result = new FlowEnd[items.Length];
            bool ok = true;
            for (int i = 0; i < items.Length; i++)
            {
                if (BindEnd(items[i], What.KeyOf(key, flow), zones) is { } end)
                {
                    result[i] = end;
                }
                else
                {
                    ok = false;
                }
            }

            return ok ? ImmutableCollectionsMarshal.AsImmutableArray(result) : null;
        }

        private FlowEnd? BindEnd(YNode node, What what, Dictionary<string, Zone> zones)
        {
            switch (node)
            {
                case YScalar { IsNull: false } s:
                    if (!zones.TryGetValue(s.Value, out var zone))
                    {
                        ReportUndefinedZone(s);
                        return null;
                    }

                    return new FlowEnd(zone.Id, [], zone.Addresses, s.Location);

                case YMapping:
                {
                    var f = Fields.Open(node, what.WithPrefix("an end of "), EndKeys, diagnostics)!;
                    var zs = f.Scalar("zone", required: true);
                    var hostsNode = f.Node("hosts");
                    var hosts = hostsNode is null
                        ? []
                        : Fields.ScalarItems(hostsNode, What.KeyOf("hosts", f), allowSingle: true, diagnostics, nonEmpty: true);
                    if (zs is null)
                    {
                        return null;
                    }

                    if (!zones.TryGetValue(zs.Value, out var z))
                    {
                        ReportUndefinedZone(zs);
                        return null;
                    }

                    if (hostsNode is null)
                    {
                        // {zone: X} without hosts is the whole zone, the same as X.
                        return new FlowEnd(z.Id, [], z.Addresses, zs.Location);
                    }

                    var entries = ImmutableArray.CreateBuilder<AddressEntry>();
                    bool ok = true;
                    foreach (var h in hosts)
                    {
                        var set = ValueParsers.ParseAddress(h.Value, h.Location, diagnostics);
                        if (set is null)
                        {
                            ok = false;
                            continue;
                        }

                        if (!set.IsSubsetOf(z.Addresses))
                        {
                            // A zone of class internet holds its networks minus every other zone's: a host that is
                            // another zone's would silently vanish from the rule.
                            string networks = string.Join(", ", z.Networks.Select(n => n.Text));
                            var owner = set.IsSubsetOf(z.Declared)
                                ? zones.Values.Where(o => !ReferenceEquals(o, z) && o.Addresses.Overlaps(set))
                                    .OrderBy(o => o.Location.Path, StringComparer.Ordinal).ThenBy(o => o.Location.Start)
                                    .FirstOrDefault()
                                : null;
                            diagnostics.Add(Descriptors.HostsOutsideZone, h.Location, h.Value, z.Id, owner is null
                                ? networks
                                : $"{networks} minus the networks of the other zones; it is in zone '{owner.Id}'");
                            ok = false;
                            continue;
                        }

                        entries.Add(new AddressEntry(h.Value, set, h.Location));
                    }

                    if (!ok || entries.Count == 0)
                    {
                        return null;
                    }

                    return new FlowEnd(z.Id, entries.ToImmutable(), AddressSet.UnionAll(entries.Select(e => e.Addresses)),
                        zs.Location);
                }

                default:
                    diagnostics.Add(Descriptors.WrongType, node.Location, what.ToString(), "a zone id, a {zone, hosts} mapping or a list of those",
                        node.KindName);
                    return null;
            }
        }

        /// <param name="services">The named services, or null when they are not bound yet: each name is then handed to
        /// <paramref name="pending"/> (text, location) and left as an item without specs.</param>
        private ImmutableArray<FlowService>? BindFlowServices(Fields flow, Dictionary<string, NamedService>? services,
            List<(string Text, SourceLocation At)>? pending = null)
        {
            var items = flow.ScalarList("services", required: true);
            if (items.IsEmpty)
            {
                return null;
            }

            var result = new FlowService[items.Length];
            bool ok = true;
            for (int i = 0; i < items.Length; i++)
            {
                var item = items[i];
                if (services is null && !ValueParsers.LooksLikeSpec(item.Value))
                {
                    // A name can never look like a spec (names have no '/' and are no protocol keyword), so only names wait.
                    var at = item.Location;
                    pending!.Add((item.Value, at));
                    result[i] = new FlowService(item.Value, true, default);
                    continue;
                }

                if (services is not null && services.TryGetValue(item.Value, out var named))
                {
                    // The service's own name: one string for every use (a large policy names services millions of times).
                    result[i] = new FlowService(named.Name, true, named.Specs);
                    continue;
                }

                if (_inlineSpecs.TryGetValue(item.Value, out var known))
                {
                    result[i] = new FlowService(known.Text, false, known.Specs);
                    continue;
                }

                if (!ValueParsers.LooksLikeSpec(item.Value))
                {
                    diagnostics.Add(Descriptors.UndefinedService, item.Location, item.Value,
                        Suggest.DidYouMean(item.Value, services!.Keys, _hints));
                    ok = false;
                    continue;
                }

                int reported = diagnostics.Count;
                var spec = ValueParsers.ParseService(item.Value, item.Location, diagnostics);
                if (spec is null)
                {
                    ok = false;
                    continue;
                }

                ImmutableArray<ServiceSpec> specs = [spec];
                if (diagnostics.Count == reported)
                {
                    // Only a spec that parsed without a message is shared, so every use still gets its own messages.
                    _inlineSpecs[item.Value] = (item.Value, specs);
                }

                result[i] = new FlowService(item.Value, false, specs);
            }

            if (!ok)
            {
                return null;
            }

            if (services is null)
            {
                // A flow's list, before its names are filled in: shared with every flow of this binder that wrote the same.
                if (_serviceLists.TryGetValue(result, out var shared))
                {
                    result = shared;
                }
                else
                {
                    _serviceLists.Add(result, result);
                }
            }

            return ImmutableCollectionsMarshal.AsImmutableArray(result);
        }

        /// <summary>Lists of service items equal item by item: the same text, kind and spec array (not only equal specs).</summary>
        private sealed class ServiceListComparer : IEqualityComparer<FlowService[]>
        {
            public static readonly ServiceListComparer Instance = new();

            public bool Equals(FlowService[]? x, FlowService[]? y)
            {
                if (ReferenceEquals(x, y))
                {
                    return true;
                }

                if (x is null || y is null || x.Length != y.Length)
                {
                    return false;
                }

                for (int i = 0; i < x.Length; i++)
                {
                    if (!string.Equals(x[i].Text, y[i].Text, StringComparison.Ordinal) || x[i].IsNamed != y[i].IsNamed || x[i].Specs != y[i].Specs)
                    {
                        return false;
                    }
                }

                return true;
            }

            /// <summary>From the texts and kinds only, which do not change when names are filled in.</summary>
            public int GetHashCode(FlowService[] obj)
            {
                var hash = new HashCode();
                foreach (var item in obj)
                {
                    hash.Add(item.Text, StringComparer.Ordinal);
                    hash.Add(item.IsNamed);
                }

                return hash.ToHashCode();
            }
        }
    }
}
