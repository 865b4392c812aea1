namespace ZoneCompiler.Model;

public enum Layer
{
    MyNumber,
    Lgwan,
    Internet,
    External,
}

public enum ZoneKind
{
    Terminal,
    Server,
    Infra,
    Mgmt,
    Backup,
    Router,
    Sanitiser,
    Gateway,
    External,
}

public enum SanitiserMethod
{
    MailText,
    ScreenTransfer,
    FileSanitise,
    FileCheck,
}

public enum ExternalClass
{
    Lgwan,
    LgwanAsp,
    ChukanServer,
    Jukinet,
    Eltax,
    Mynaportal,
    GovCloud,
    PublicSystem,
    Closed,
    SecurityCloud,
    Internet,
    VendorClosed,
}

public enum SpecialComm
{
    Chukan,
    Jukinet,
    Eltax,
    Mynaportal,
    GovCloud,
    PublicSystem,
    Closed,
}

public enum SeparationModel
{
    Alpha,
    AlphaPrime,
    Beta,
    BetaPrime,
}

public enum RemovableMedia
{
    Blocked,
    Allowlisted,
    Open,
}

public enum Redirection
{
    None,
    Clipboard,
    Drive,
    Full,
}

public enum WirelessAuth
{
    Dot1x,
    Psk,
    None,
}

public enum Attachments
{
    Removed,
    Sanitised,
    Kept,
}

/// <summary>The format's keyword tables, one per enum.</summary>
public static class Vocabulary
{
    public static readonly Keywords<Layer> Layers = new("layer",
        ("mynumber", Layer.MyNumber), ("lgwan", Layer.Lgwan), ("internet", Layer.Internet), ("external", Layer.External));

    public static readonly Keywords<ZoneKind> Kinds = new("zone kind",
        ("terminal", ZoneKind.Terminal), ("server", ZoneKind.Server), ("infra", ZoneKind.Infra), ("mgmt", ZoneKind.Mgmt),
        ("backup", ZoneKind.Backup), ("router", ZoneKind.Router), ("sanitiser", ZoneKind.Sanitiser),
        ("gateway", ZoneKind.Gateway), ("external", ZoneKind.External));

    public static readonly Keywords<SanitiserMethod> Sanitisers = new("sanitiser method",
        ("mail-text", SanitiserMethod.MailText), ("screen-transfer", SanitiserMethod.ScreenTransfer),
        ("file-sanitise", SanitiserMethod.FileSanitise), ("file-check", SanitiserMethod.FileCheck));

    public static readonly Keywords<ExternalClass> Classes = new("external class",
        ("lgwan", ExternalClass.Lgwan), ("lgwan-asp", ExternalClass.LgwanAsp), ("chukan-server", ExternalClass.ChukanServer),
        ("jukinet", ExternalClass.Jukinet), ("eltax", ExternalClass.Eltax), ("mynaportal", ExternalClass.Mynaportal),
        ("gov-cloud", ExternalClass.GovCloud), ("public-system", ExternalClass.PublicSystem), ("closed", ExternalClass.Closed),
        ("security-cloud", ExternalClass.SecurityCloud), ("internet", ExternalClass.Internet),
        ("vendor-closed", ExternalClass.VendorClosed));

    public static readonly Keywords<SpecialComm> Specials = new("special communication",
        ("chukan", SpecialComm.Chukan), ("jukinet", SpecialComm.Jukinet), ("eltax", SpecialComm.Eltax),
        ("mynaportal", SpecialComm.Mynaportal), ("gov-cloud", SpecialComm.GovCloud),
        ("public-system", SpecialComm.PublicSystem), ("closed", SpecialComm.Closed));

    public static readonly Keywords<SeparationModel> Models = new("model",
        ("alpha", SeparationModel.Alpha), ("alpha-prime", SeparationModel.AlphaPrime), ("beta", SeparationModel.Beta),
        ("beta-prime", SeparationModel.BetaPrime));

    public static readonly Keywords<RemovableMedia> RemovableMediaValues = new("removable-media value",
        ("blocked", RemovableMedia.Blocked), ("allowlisted", RemovableMedia.Allowlisted), ("open", RemovableMedia.Open));

    public static readonly Keywords<Redirection> Redirections = new("redirection value",
        ("none", Redirection.None), ("clipboard", Redirection.Clipboard), ("drive", Redirection.Drive), ("full", Redirection.Full));

    public static readonly Keywords<WirelessAuth> WirelessAuths = new("wireless-auth value",
        ("802.1x", WirelessAuth.Dot1x), ("psk", WirelessAuth.Psk), ("none", WirelessAuth.None));

    public static readonly Keywords<Attachments> AttachmentValues = new("attachments value",
        ("removed", Attachments.Removed), ("sanitised", Attachments.Sanitised), ("kept", Attachments.Kept));

    /// <summary>The vendors of format v1. Emitters register under these names.</summary>
    public static readonly IReadOnlyList<string> Vendors =
        ["nftables", "iptables", "cisco-ios", "cisco-asa", "juniper-srx", "fortigate", "paloalto", "yamaha-rtx"];
}
