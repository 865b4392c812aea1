using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ZoneCompiler.Net;
using static System.FormattableString;

namespace ZoneCompiler.Tests.Enforcement;

/// <summary>What a probe observed: whether the token came back, and how it went.</summary>
public sealed record ProbeOutcome(Probe Probe, bool GotThrough, string Detail);

/// <summary>
/// Real traffic between the test hosts: echo listeners (TCP and UDP) bound to the destination addresses in the
/// destination namespaces, and clients bound to the source addresses in the source namespaces. ICMP echo is
/// answered by the destination's kernel and read back on a raw socket. A probe gets through when the token it
/// sent comes back from the destination address.
/// </summary>
public sealed class Prober : IAsyncDisposable
{
    /// <summary>How many probes run at once.</summary>
    public const int Parallelism = 48;

    /// <summary>How long a probe that must be dropped is given to get through anyway.</summary>
    public static readonly TimeSpan DropTimeout = TimeSpan.FromSeconds(1);

    /// <summary>How long a probe that must get through may take.</summary>
    public static readonly TimeSpan PassTimeout = TimeSpan.FromSeconds(4);

    private readonly Lab _lab;
    private readonly List<Socket> _listeners = [];
    private readonly List<Task> _loops = [];
    private readonly CancellationTokenSource _stop = new();

    private Prober(Lab lab) => _lab = lab;

    /// <summary>Starts one listener for every TCP/UDP destination the probes use.</summary>
    public static async Task<Prober> StartAsync(Lab lab, IEnumerable<Probe> probes)
    {
        var prober = new Prober(lab);
        try
        {
            foreach (var key in probes.Where(p => p.Kind != ProbeKind.Echo).Select(p => (p.ToZone, p.Destination, p.Kind, p.Port)).Distinct())
            {
                await prober.ListenAsync(key.ToZone, key.Destination, key.Kind, key.Port).ConfigureAwait(false);
            }
        }
        catch
        {
            await prober.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return prober;
    }

    /// <summary>Runs every probe (at most <see cref="Parallelism"/> at once); <paramref name="phase"/> keeps tokens unique.</summary>
    public async Task<ImmutableArray<ProbeOutcome>> RunAsync(IReadOnlyList<Probe> probes, int phase, Func<Probe, bool> expectThrough,
        CancellationToken cancellationToken)
    {
        using var gate = new SemaphoreSlim(Parallelism);
        var tasks = probes.Select(async p =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var timeout = expectThrough(p) ? PassTimeout : DropTimeout;
                return await ProbeAsync(p, phase, timeout, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        return [.. await Task.WhenAll(tasks).ConfigureAwait(false)];
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var s in _listeners)
        {
            s.Dispose();
        }

        try
        {
            await Task.WhenAll(_loops).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The loops end when their sockets are closed.
        }

        _stop.Dispose();
    }

    private static AddressFamily Af(IpFamily family) => family == IpFamily.V4 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;

    private async Task ListenAsync(string zone, HostAddress address, ProbeKind kind, int port)
    {
        var worker = _lab.HostWorker(zone);
        var endpoint = new IPEndPoint(address.ToIPAddress(), port);
        var socket = await worker.Run(() => kind == ProbeKind.Tcp
            ? new Socket(Af(address.Family), SocketType.Stream, ProtocolType.Tcp)
            : new Socket(Af(address.Family), SocketType.Dgram, ProtocolType.Udp)).ConfigureAwait(false);
        _listeners.Add(socket);
        socket.Bind(endpoint);
        if (kind == ProbeKind.Tcp)
        {
            socket.Listen(512);
            _loops.Add(AcceptLoop(socket, _stop.Token));
        }
        else
        {
            _loops.Add(UdpEchoLoop(socket, address.Family, _stop.Token));
        }
    }

    private static async Task AcceptLoop(Socket listener, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var connection = await listener.AcceptAsync(stop).ConfigureAwait(false);
            _ = EchoConnection(connection, stop);
        }
    }

    private static async Task EchoConnection(Socket connection, CancellationToken stop)
    {
        using (connection)
        {
            var buffer = new byte[512];
            try
            {
                while (true)
                {
                    int n = await connection.ReceiveAsync(buffer, SocketFlags.None, stop).ConfigureAwait(false);
                    if (n == 0)
                    {
                        return;
                    }

                    await connection.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, stop).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away or the prober is stopping.
            }
        }
    }

    private static async Task UdpEchoLoop(Socket socket, IpFamily family, CancellationToken stop)
    {
        var buffer = new byte[512];
        EndPoint any = new IPEndPoint(family == IpFamily.V4 ? IPAddress.Any : IPAddress.IPv6Any, 0);
        while (!stop.IsCancellationRequested)
        {
            var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, stop).ConfigureAwait(false);
            await socket.SendToAsync(buffer.AsMemory(0, received.ReceivedBytes), SocketFlags.None, received.RemoteEndPoint, stop)
                .ConfigureAwait(false);
        }
    }

    private async Task<ProbeOutcome> ProbeAsync(Probe probe, int phase, TimeSpan timeout, CancellationToken cancellationToken)
    {
        byte[] token = Encoding.ASCII.GetBytes(Invariant($"zct {Environment.ProcessId} {phase} {probe.Id}\n"));
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var worker = _lab.HostWorker(probe.FromZone);
        try
        {
            return probe.Kind switch
            {
                ProbeKind.Tcp => await TcpAsync(probe, worker, token, limit.Token).ConfigureAwait(false),
                ProbeKind.Udp => await UdpAsync(probe, worker, token, limit.Token).ConfigureAwait(false),
                _ => await EchoAsync(probe, worker, phase, token, limit.Token).ConfigureAwait(false),
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ProbeOutcome(probe, false, Invariant($"no answer within {timeout.TotalSeconds:0.#} s"));
        }
        catch (SocketException e)
        {
            return new ProbeOutcome(probe, false, Invariant($"socket error {e.SocketErrorCode}: {e.Message}"));
        }
    }

    private static async Task<ProbeOutcome> TcpAsync(Probe probe, NetnsWorker worker, byte[] token, CancellationToken ct)
    {
        using var socket = await worker.Run(() => new Socket(Af(probe.Family), SocketType.Stream, ProtocolType.Tcp)).ConfigureAwait(false);
        socket.Bind(new IPEndPoint(probe.Source.ToIPAddress(), 0));
        await socket.ConnectAsync(new IPEndPoint(probe.Destination.ToIPAddress(), probe.Port), ct).ConfigureAwait(false);
        await socket.SendAsync(token, SocketFlags.None, ct).ConfigureAwait(false);
        var buffer = new byte[token.Length];
        int got = 0;
        while (got < token.Length)
        {
            int n = await socket.ReceiveAsync(buffer.AsMemory(got), SocketFlags.None, ct).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            got += n;
        }

        bool ok = got == token.Length && buffer.AsSpan().SequenceEqual(token);
        return new ProbeOutcome(probe, ok, ok ? "connected, token echoed" : "connected, but the token did not come back");
    }

    private static async Task<ProbeOutcome> UdpAsync(Probe probe, NetnsWorker worker, byte[] token, CancellationToken ct)
    {
        using var socket = await worker.Run(() => new Socket(Af(probe.Family), SocketType.Dgram, ProtocolType.Udp)).ConfigureAwait(false);
        socket.Bind(new IPEndPoint(probe.Source.ToIPAddress(), 0));
        var destination = new IPEndPoint(probe.Destination.ToIPAddress(), probe.Port);
        var buffer = new byte[512];
        while (true)
        {
            await socket.SendToAsync(token, SocketFlags.None, destination, ct).ConfigureAwait(false);
            using var retry = CancellationTokenSource.CreateLinkedTokenSource(ct);
            retry.CancelAfter(TimeSpan.FromMilliseconds(250));
            try
            {
                while (true)
                {
                    var r = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(destination.Address, 0), retry.Token)
                        .ConfigureAwait(false);
                    if (r.RemoteEndPoint is IPEndPoint from && from.Address.Equals(destination.Address)
                        && buffer.AsSpan(0, r.ReceivedBytes).SequenceEqual(token))
                    {
                        return new ProbeOutcome(probe, true, "datagram echoed");
                    }
                }
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                // Send again: the first datagram may have waited for neighbour resolution.
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset && !ct.IsCancellationRequested)
            {
                // An ICMP port unreachable for an earlier datagram; keep trying until the time is up.
                await Task.Delay(50, ct).ConfigureAwait(false);
            }
        }
    }

    private static async Task<ProbeOutcome> EchoAsync(Probe probe, NetnsWorker worker, int phase, byte[] token, CancellationToken ct)
    {
        bool v4 = probe.Family == IpFamily.V4;
        using var socket = await worker.Run(() =>
            new Socket(Af(probe.Family), SocketType.Raw, v4 ? ProtocolType.Icmp : ProtocolType.IcmpV6)).ConfigureAwait(false);
        socket.Bind(new IPEndPoint(probe.Source.ToIPAddress(), 0));
        ushort id = unchecked((ushort)((probe.Id * 4) + phase));
        var request = new byte[8 + token.Length];
        request[0] = (byte)(v4 ? 8 : 128);
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(4), id);
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(6), 1);
        token.CopyTo(request, 8);
        if (v4)
        {
            BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(2), Checksum(request));
        }

        var destination = new IPEndPoint(probe.Destination.ToIPAddress(), 0);
        var buffer = new byte[1024];
        while (true)
        {
            await socket.SendToAsync(request, SocketFlags.None, destination, ct).ConfigureAwait(false);
            using var retry = CancellationTokenSource.CreateLinkedTokenSource(ct);
            retry.CancelAfter(TimeSpan.FromMilliseconds(500));
            try
            {
                while (true)
                {
                    var r = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(destination.Address, 0), retry.Token)
                        .ConfigureAwait(false);
                    var packet = buffer.AsSpan(0, r.ReceivedBytes);
                    if (v4)
                    {
                        // IPv4 raw sockets deliver the IP header too.
                        int headerLength = (packet[0] & 0x0F) * 4;
                        packet = packet[headerLength..];
                    }

                    if (r.RemoteEndPoint is IPEndPoint from && from.Address.Equals(destination.Address)
                        && packet.Length == request.Length && packet[0] == (v4 ? 0 : 129)
                        && BinaryPrimitives.ReadUInt16BigEndian(packet[4..]) == id && packet[8..].SequenceEqual(token))
                    {
                        return new ProbeOutcome(probe, true, "echo reply received");
                    }
                }
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                // Send again: the first request may have waited for neighbour resolution.
            }
        }
    }

    private static ushort Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (int i = 0; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }

        if (data.Length % 2 == 1)
        {
            sum += (uint)data[^1] << 8;
        }

        while (sum > 0xFFFF)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return unchecked((ushort)~sum);
    }
}
