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
            // IPAddress.TryParse accepts "10" or "10.1" as shorthand; the format wants four dotted parts.
            if (text.Count(c => c == '.') != 3)
            {
                return false;
            }

            family = IpFamily.V4;
        }
        else if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            family = IpFamily.V6;
        }
        else
        {
            return false;
        }

        value = ToValue(address);
        return true;
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

    public static string Format(IpFamily family, UInt128 value) => ToAddress(family, value).ToString();
}
