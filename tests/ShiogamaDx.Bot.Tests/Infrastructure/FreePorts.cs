using System.Net;
using System.Net.Sockets;

namespace ShiogamaDx.Bot.Tests.Infrastructure;

/// <summary>
/// A port for a server a test starts as its own process (the host, PostgreSQL). Asking the OS for port 0 gives one from
/// the ephemeral range, which the client sockets of the other tests running meanwhile draw from too: between our
/// check and the server's bind, a connection could take it ("address already in use"). Ports below that range are
/// never handed to clients, so only another listener could take one, and each caller draws at random.
/// </summary>
public static class FreePorts
{
    private const int First = 20_000, EphemeralStart = 32_768;

    public static int Next()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(First, EphemeralStart);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // taken: draw again
            }
        }

        throw new InvalidOperationException($"No free port between {First} and {EphemeralStart}");
    }
}
