namespace ZoneCompiler.Diagnostics;

/// <summary>
/// The catalogue of every diagnostic the compiler reports (separation rules live in the rule catalogue).
/// Ids are stable forever: never renumber or reuse one; retire an id by leaving a comment in its place.
/// ZC0xxx: files and YAML syntax. ZC1xxx: structure and binding. ZC3xxx: command line and output.
/// ZC4xxx: vendor capability and naming. ZC5xxx: verification (<c>zonec verify</c>: emitted configurations read back
/// and compared exactly with the declared flows; ZC503x: lint of configurations and of declared flows).
/// </summary>
public static class Descriptors
{
    private static DiagnosticDescriptor Error(string id, string title, string format) =>
        new(id, DiagnosticSeverity.Error, title, format);

    private static DiagnosticDescriptor Warning(string id, string title, string format) =>
        new(id, DiagnosticSeverity.Warning, title, format);

    // ---- ZC0xxx: files and YAML ---------------------------------------------------------------
    public static readonly DiagnosticDescriptor YamlSyntax =
        Error("ZC0001", "YAML syntax error", "YAML syntax error: {0}");
    public static readonly DiagnosticDescriptor NotUtf8 =
        Error("ZC0002", "File is not UTF-8", "the file is not valid UTF-8 (invalid byte 0x{0}); save it as UTF-8");
    public static readonly DiagnosticDescriptor FileTooLarge =
        Error("ZC0003", "File too large", "the file is {0} bytes; the limit is {1} bytes");
    public static readonly DiagnosticDescriptor AliasExpansion =
        Error("ZC0004", "YAML alias expansion too large",
            "YAML aliases expand to more than {0} nodes; aliases that multiply content are refused");
    public static readonly DiagnosticDescriptor FolderMissing =
        Error("ZC0005", "Folder not found", "the {0} folder '{1}' does not exist");
    public static readonly DiagnosticDescriptor FolderEmpty =
        Error("ZC0006", "No YAML files", "the {0} folder '{1}' holds no *.yaml or *.yml file");
    public static readonly DiagnosticDescriptor DuplicateKey =
        Error("ZC0007", "Duplicate key", "duplicate key '{0}' (first at line {1}, column {2})");
    public static readonly DiagnosticDescriptor UnknownKey =
        Error("ZC0008", "Unknown key", "unknown key '{0}' in {1}{2}");
    public static readonly DiagnosticDescriptor WrongType =
        Error("ZC0009", "Wrong type", "{0} must be {1}, not {2}");
    public static readonly DiagnosticDescriptor MissingKey =
        Error("ZC0010", "Missing required key", "{0} requires the key '{1}'");
    public static readonly DiagnosticDescriptor InvalidEnum =
        Error("ZC0011", "Invalid value", "'{0}' is not a valid {1}; expected one of: {2}{3}");
    public static readonly DiagnosticDescriptor InvalidId =
        Error("ZC0012", "Invalid id", "'{0}' is not a valid {1} id (pattern {2})");
    public static readonly DiagnosticDescriptor WrongFolder =
        Error("ZC0013", "Key in the wrong folder", "top-level key '{0}' belongs in the {1} folder, not in {2}");
    public static readonly DiagnosticDescriptor MultipleDocuments =
        Error("ZC0014", "Several YAML documents", "a policy file holds one YAML document; found a second one");
    public static readonly DiagnosticDescriptor UnreadableFile =
        Error("ZC0015", "File cannot be read", "cannot read the file: {0}");
    public static readonly DiagnosticDescriptor EmptyList =
        Error("ZC0016", "Empty list", "{0} must not be empty");
    public static readonly DiagnosticDescriptor NotRegularFile =
        Error("ZC0017", "Not a regular file",
            "the file is {0}, not a regular file; only regular files are read (a pipe or a device can block or never end)");
    public static readonly DiagnosticDescriptor LinkOutside =
        Error("ZC0018", "Link leads outside the folder",
            "the link leads outside the {0} folder (to '{1}'); links are followed only to files inside the folder");
    public static readonly DiagnosticDescriptor LinkLoop =
        Error("ZC0019", "Link loop", "the {0} leads back to '{1}', a folder that holds it; following it would never end");
    public static readonly DiagnosticDescriptor ReadTwice =
        Error("ZC0020", "File or folder reached twice",
            "the link leads to '{0}', which is read already; each file and folder is read once");
    public static readonly DiagnosticDescriptor InputTooLarge =
        Error("ZC0021", "Input too large",
            "the policy holds more than {0} {1}, the limit; raise it with the environment variable {2} (for example {2}={3})");
    public static readonly DiagnosticDescriptor BadLimit =
        Error("ZC0022", "Invalid input limit", "{0}='{1}' is not a whole number from 1 to {2}");
    public static readonly DiagnosticDescriptor UnreadableFolder =
        Error("ZC0023", "Folder cannot be read", "cannot read the folder: {0}");

    // ---- ZC1xxx: structure and binding ---------------------------------------------------------
    public static readonly DiagnosticDescriptor DuplicateId =
        Error("ZC1001", "Duplicate id", "duplicate {0} id '{1}': also declared as '{2}' at {3}");
    public static readonly DiagnosticDescriptor UndefinedZone =
        Error("ZC1002", "Undefined zone", "zone '{0}' is not defined{1}");
    public static readonly DiagnosticDescriptor UndefinedService =
        Error("ZC1003", "Undefined service", "service '{0}' is not defined and is not a service spec{1}");
    public static readonly DiagnosticDescriptor UndefinedException =
        Error("ZC1004", "Undefined exception", "exception '{0}' is not defined{1}");
    public static readonly DiagnosticDescriptor HostBitsSet =
        Error("ZC1005", "Host bits set", "'{0}' has host bits set; the network is {1}");
    public static readonly DiagnosticDescriptor MalformedAddress =
        Error("ZC1006", "Malformed address", "'{0}' is not an IPv4/IPv6 address, CIDR prefix or range");
    public static readonly DiagnosticDescriptor RangeReversed =
        Error("ZC1007", "Range reversed", "range '{0}' starts after it ends");
    public static readonly DiagnosticDescriptor RangeMixedFamilies =
        Error("ZC1008", "Range mixes families", "range '{0}' mixes IPv4 and IPv6");
    public static readonly DiagnosticDescriptor PortOutOfRange =
        Error("ZC1009", "Port out of range", "port '{0}' in '{1}' is outside 0-65535");
    public static readonly DiagnosticDescriptor UnknownIcmpType =
        Error("ZC1010", "Unknown ICMP type", "'{0}' is not a known {1} type name or a number 0-255{2}");
    public static readonly DiagnosticDescriptor BadDate =
        Error("ZC1011", "Bad date", "'{0}' is not a valid date (YYYY-MM-DD)");
    public static readonly DiagnosticDescriptor HostsOutsideZone =
        Error("ZC1012", "Hosts outside their zone", "host '{0}' is not inside zone '{1}' ({2})");
    public static readonly DiagnosticDescriptor OverlappingNetworks =
        Error("ZC1013", "Overlapping networks", "network '{0}' of zone '{1}' overlaps '{2}' of zone '{3}' at {4}");
    public static readonly DiagnosticDescriptor ZoneOnTwoInterfaces =
        Error("ZC1014", "Zone on two interfaces", "zone '{0}' is on interfaces '{1}' and '{2}' of firewall '{3}'");
    public static readonly DiagnosticDescriptor NoZones =
        Error("ZC1015", "No zones", "the policy declares no zones");
    public static readonly DiagnosticDescriptor MalformedService =
        Error("ZC1016", "Malformed service", "'{0}' is not a service spec: {1}");
    public static readonly DiagnosticDescriptor SanitiserMismatch =
        Error("ZC1017", "Sanitiser method and kind disagree", "{0}");
    public static readonly DiagnosticDescriptor ClassMismatch =
        Error("ZC1018", "External class and layer disagree", "{0}");
    public static readonly DiagnosticDescriptor DuplicateInterface =
        Error("ZC1019", "Duplicate interface", "interface '{0}' is declared twice on firewall '{1}' (first at line {2})");
    public static readonly DiagnosticDescriptor IcmpCodeOutOfRange =
        Error("ZC1020", "ICMP code out of range", "ICMP code '{0}' in '{1}' is outside 0-255");
    public static readonly DiagnosticDescriptor PolicyTwice =
        Error("ZC1021", "Policy setting declared twice", "policy setting '{0}' is declared again (first at {1})");
    public static readonly DiagnosticDescriptor ProtocolOutOfRange =
        Error("ZC1022", "Protocol number out of range", "protocol number '{0}' in '{1}' is outside 0-255");
    public static readonly DiagnosticDescriptor NoFamilyOverlap =
        Error("ZC1023", "Flow ends share no address family",
            "flow '{0}' cannot carry any packet: its sources and destinations have no address family in common");
    public static readonly DiagnosticDescriptor ReservedServiceName =
        Error("ZC1024", "Reserved service name", "'{0}' cannot name a service: it is a protocol keyword of the service syntax");
    public static readonly DiagnosticDescriptor NoServiceForFamily =
        Warning("ZC1025", "No service fits the flow's address family",
            "flow '{0}' allows nothing: none of its services applies to the address family its ends share ({1})");
    public static readonly DiagnosticDescriptor UndefinedFirewall =
        Error("ZC1026", "Undefined firewall", "firewall '{0}' is not defined{1}");
    public static readonly DiagnosticDescriptor ZoneNotOnFirewall =
        Error("ZC1027", "Zone not on the firewall",
            "zone '{0}' is on no interface of firewall '{1}', so it cannot reach the firewall itself");

    // ---- ZC3xxx: command line and output ------------------------------------------------------
    public static readonly DiagnosticDescriptor BadOption =
        Error("ZC3001", "Invalid option value", "{0}");
    public static readonly DiagnosticDescriptor OutputFailed =
        Error("ZC3002", "Output could not be written", "cannot write the output: {0}");
    public static readonly DiagnosticDescriptor OutputNameClash =
        Error("ZC3003", "Two outputs share a file name",
            "two generated files are both named '{0}' (file names are compared case-insensitively)");
    public static readonly DiagnosticDescriptor OutputFolderRefused =
        Error("ZC3004", "Output folder refused",
            "--out '{0}' is {1}; zonec does not write its output there (give it a folder of its own, such as out)");
    public static readonly DiagnosticDescriptor OutputFolderNotOwned =
        Error("ZC3005", "Output folder holds files zonec did not write",
            "the output folder '{0}' holds files zonec did not write ({1}) and {2}; write to an empty or new folder, or add --force to write into it anyway (zonec then replaces only the files it generates and removes none)");
    public static readonly DiagnosticDescriptor OutputFolderBusy =
        Error("ZC3006", "Output folder in use",
            "another zonec run is writing the output folder '{0}' ({1}); run again when it has finished");
    public static readonly DiagnosticDescriptor InterruptedWriteUndone =
        Warning("ZC3007", "Interrupted write undone",
            "an earlier zonec run stopped while it was replacing files in '{0}'; what it had changed there was undone, so the folder is as it was before that run");
    public static readonly DiagnosticDescriptor InternalError =
        Error("ZC3010", "Internal error", "{0}");
    public static readonly DiagnosticDescriptor StandardOutputFailed =
        Error("ZC3011", "Standard output could not be written", "cannot write to standard output: {0}");
    public static readonly DiagnosticDescriptor MatrixAsList =
        Warning("ZC3012", "Flow matrix listed by zone pair",
            "the policy has {0} zones, more than the {1} a flow matrix grid is written for (from zone '{2}' on): the Markdown, CSV and HTML matrix list the zone pairs that carry flows instead");
    public static readonly DiagnosticDescriptor MatrixTooLarge =
        Error("ZC3013", "Flow matrix too large",
            "the flow matrix would have {0} entries (a zone pair and a flow each), more than the {1} zonec writes; flow '{2}' goes over the limit with {3} source x {4} destination zones: narrow the flows with the most zones in from and to");

    // ---- ZC4xxx: vendor capability and naming -------------------------------------------------
    public static readonly DiagnosticDescriptor NameCollision =
        Error("ZC4001", "Generated names collide",
            "{0}: generated name '{1}' would be used by both '{2}' and '{3}'; rename one of the ids");
    public static readonly DiagnosticDescriptor VendorNotAvailable =
        Error("ZC4003", "No emitter for the vendor",
            "firewall '{0}' uses vendor '{1}', which this version cannot emit yet (available: {2})");
    public static readonly DiagnosticDescriptor Inexpressible =
        Error("ZC4002", "Vendor cannot express", "{0} cannot express flow '{1}': {2}");
    public static readonly DiagnosticDescriptor InvalidInterfaceName =
        Error("ZC4004", "Not an interface name of the vendor", "{0}: interface '{1}' of firewall '{2}' is not a valid {0} interface name: {3}");
    public static readonly DiagnosticDescriptor PreviewInterfaceName = new("ZC4005", DiagnosticSeverity.Warning, "Interface name kept in a vendor preview",
        "{0} preview of firewall '{2}' (declared vendor {3}): interface '{1}' is not a valid {0} interface name ({4}); it is kept as written and must be renamed before the output is loaded");
    public static readonly DiagnosticDescriptor UnwritableText =
        Error("ZC4006", "Text cannot be written exactly",
            "{0} cannot write {1} '{2}' exactly: {3}; change the text (it would otherwise become configuration syntax or be altered)");
    public static readonly DiagnosticDescriptor UnfilteredInterfaces =
        Warning("ZC4007", "Interfaces the file cannot filter",
            "{0} firewall '{1}': interfaces the YAML does not list (for example {2}) get no filter list from this file: traffic entering one of them is checked only by the out list of the declared interface it leaves, and traffic between two of them or to the device itself is not filtered by zonec; bind the site's own filters there or declare them");

    // ---- ZC5xxx: verification ---------------------------------------------------------------------
    public static readonly DiagnosticDescriptor AllowedNotDeclared =
        Error("ZC5001", "Allowed but not declared",
            "{0}: allowed but not declared: {1} -> {2}: {3} is allowed by this line ({4}) and by no declared flow");
    public static readonly DiagnosticDescriptor DeclaredNotAllowed =
        Error("ZC5002", "Declared but not allowed",
            "{0}: declared but not allowed: {1} -> {2}: {3} is allowed by '{4}' but {5}");
    public static readonly DiagnosticDescriptor ConfigurationMissing =
        Error("ZC5003", "No configuration for a firewall",
            "no emitted configuration for firewall '{0}' in '{1}' (expected {2})");
    public static readonly DiagnosticDescriptor ConfigurationUnreadable =
        Error("ZC5004", "Configuration cannot be read", "cannot read the {0} configuration of firewall '{1}': {2}");
    public static readonly DiagnosticDescriptor ConfigurationAmbiguous =
        Error("ZC5005", "Configurations of several vendors",
            "firewall '{0}' has configurations of several vendors in '{1}' ({2}); name one with --vendor");
    public static readonly DiagnosticDescriptor DifferencesNotListed =
        Warning("ZC5006", "More differences not listed",
            "{0}: more differences than the {1} listed; raise --limit to see them");

    // ---- ZC501x: zonec diff ---------------------------------------------------------------------
    public static readonly DiagnosticDescriptor DiffSidesMissing =
        Error("ZC5010", "Two policies to compare",
            "diff compares two policies: {0}");
    public static readonly DiagnosticDescriptor GitRangeInvalid =
        Error("ZC5011", "Not a range of two revisions",
            "--git '{0}' is not a range of two revisions: {1} (write REV1..REV2, for example main..HEAD)");
    public static readonly DiagnosticDescriptor GitFailed =
        Error("ZC5012", "Git could not provide the policy",
            "cannot read {0} from git: {1}");
    // ---- ZC5020-ZC5029: zonec explain (the question on the command line) ---------------------------
    public static readonly DiagnosticDescriptor ExplainBadEnd =
        Error("ZC5020", "Not an address or zone id", "the {0} '{1}' cannot be explained: {2}");
    public static readonly DiagnosticDescriptor ExplainAddressInNoZone =
        Error("ZC5021", "Address in no zone",
            "the {0} address {1} is in no zone of the policy, so no firewall placement applies to it; add its network to a zone (a zone of class internet with 0.0.0.0/0 and ::/0 holds every address no other zone holds)");
    public static readonly DiagnosticDescriptor ExplainBadService =
        Error("ZC5022", "Not a service", "the service '{0}' cannot be explained: {1}");
    public static readonly DiagnosticDescriptor ExplainNoPacket =
        Error("ZC5023", "No packet to explain", "no packet goes from {0} to {1} with {2}: {3}");
    // ---- ZC503x: lint (zonec lint; covered flows also in zonec check) --------------------------------
    public static readonly DiagnosticDescriptor LineNeverMatches =
        Warning("ZC5030", "Line can never match",
            "{0}: this {1}line can never match: every packet it matches is matched first by {2}");
    public static readonly DiagnosticDescriptor LineRedundant =
        Warning("ZC5031", "Redundant line",
            "{0}: removing this {1}line changes nothing: every packet it decides is {2} the same way by {3}");
    public static readonly DiagnosticDescriptor LineMatchesNothing =
        Warning("ZC5032", "Line matches no packet",
            "{0}: this {1}line matches no packet (an empty address or service set, or traffic it never sees)");
    public static readonly DiagnosticDescriptor FlowCovered =
        Warning("ZC5033", "Flow covered by other flows",
            "flow '{0}' is fully covered by {1}: on every firewall that enforces it ({2}) each packet it allows is allowed by {3} too; remove it or narrow the others");
}
