using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ZoneCompiler.Net;

/// <summary>A CIDR prefix of one family, with its network address as a 128-bit value.</summary>
public readonly record struct IpPrefix(IpFamily Family, UInt128 Network, int Length)
{
    public UInt128 First => Network;

    public UInt128 Last => Network | HostMask(Family, Length);

    public bool IsHost => Length == Family.Bits();

    public static UInt128 HostMask(IpFamily family, int length)
    {
        int hostBits = family.Bits() - length;
        return hostBits == 0 ? UInt128.Zero : hostBits == 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - 1;
    }

    /// <summary><c>10.0.0.0/8</c>, <c>2001:db8::/32</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{IpText.Format(Family, Network)}/{Length}");

    /// <summary>The address alone for a host prefix, else the CIDR form.</summary>
    public string ToCompactString() => IsHost ? IpText.Format(Family, Network) : ToString();
}

/// <summary>Conversions between addresses and their 128-bit values, invariant and canonical.</summary>
public static class IpText
{
    public static bool TryParseAddress(string text, out IpFamily family, out UInt128 value)
    {
        family = IpFamily.V4;
        value = 0;
        if (text.Length == 0 || text.Contains('%', StringComparison.Ordinal) || !IPAddress.TryParse(text, out var address))
        {
            return false;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            // IPAddress.TryParse accepts "10" or "10.1" as shorthand and, like inet_aton, reads "010.0.0.1" as
            // octal (8.0.0.1) and "0x0a.0.0.1" as hex; the format wants four plain decimal parts.
            if (!IsDottedDecimal(text))
            {
                return false;
            }

            family = IpFamily.V4;
        }
        else if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            // An embedded IPv4 tail (::ffff:10.0.0.1) follows the same rule.
            int colon = text.LastIndexOf(':');
            if (text.Contains('.', StringComparison.Ordinal) && !IsDottedDecimal(text[(colon + 1)..]))
            {
                return false;
            }

            family = IpFamily.V6;
        }
        else
        {
            return false;
        }

        value = ToValue(address);
        return true;
    }

    /// <summary>Four parts of 1-3 ASCII digits, each 0-255, without leading zeros ("0" itself is fine).</summary>
    private static bool IsDottedDecimal(string text)
    {
        var parts = text.Split('.');
        return parts.Length == 4 && parts.All(p =>
            p.Length is >= 1 and <= 3 && p.All(char.IsAsciiDigit) && (p.Length == 1 || p[0] != '0')
            && int.Parse(p, NumberStyles.None, CultureInfo.InvariantCulture) <= 255);
    }

    public static UInt128 ToValue(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        UInt128 v = 0;
        foreach (var b in bytes)
        {
            v = (v << 8) | b;
        }

        return v;
    }

    public static IPAddress ToAddress(IpFamily family, UInt128 value)
    {
        int n = family == IpFamily.V4 ? 4 : 16;
        var bytes = new byte[n];
        for (int i = n - 1; i >= 0; i--)
        {
            bytes[i] = (byte)(value & 0xFF);
            value >>= 8;
        }

        return new IPAddress(bytes);
    }

    /// <summary>
    /// The canonical text: dotted decimal for IPv4 (formatted here, without an <see cref="IPAddress"/> per address:
    /// emitters format every address of every rule), the platform's RFC 5952 form for IPv6.
    /// </summary>
    public static string Format(IpFamily family, UInt128 value)
    {
        if (family == IpFamily.V4)
        {
            uint v = (uint)value;
            return string.Create(CultureInfo.InvariantCulture, $"{v >> 24}.{(v >> 16) & 0xFF}.{(v >> 8) & 0xFF}.{v & 0xFF}");
        }

        Span<byte> bytes = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(bytes, value);
        return new IPAddress(bytes).ToString();
    }
}
