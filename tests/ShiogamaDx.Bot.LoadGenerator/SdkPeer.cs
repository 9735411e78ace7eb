using System.Diagnostics;

namespace ShiogamaDx.Bot.LoadGenerator;

/// <summary>
/// The side-by-side peer: LINE's own echo bot on Express and the official SDK (@line/bot-sdk), which verifies the
/// signature and replies with the message's text through the same fake LINE API. Installed with npm into a temp
/// folder at pinned versions (nothing of it is committed), started with node.
/// </summary>
internal static class SdkPeer
{
    public const string SdkVersion = "11.2.0";
    public const string ExpressVersion = "5.3.0";

    private const string PackageJson = $$"""
        { "name": "shiogama-sdk-peer", "private": true, "dependencies": { "@line/bot-sdk": "{{SdkVersion}}", "express": "{{ExpressVersion}}" } }
        """;

    // The SDK's echo-bot example (line-bot-sdk-nodejs/examples/echo-bot), its base URL pointed at the fake API.
    private const string PeerJs = """
        const express = require('express');
        const line = require('@line/bot-sdk');
        const client = new line.messagingApi.MessagingApiClient({
          channelAccessToken: process.env.CHANNEL_ACCESS_TOKEN,
          baseURL: process.env.LINE_API_BASE_URL,
        });
        const app = express();
        app.get('/healthz', (req, res) => res.sendStatus(200));
        app.post('/api/line/webhook', line.middleware({ channelSecret: process.env.CHANNEL_SECRET }), (req, res) => {
          Promise.all(req.body.events.map(handleEvent))
            .then((result) => res.json(result))
            .catch((err) => { console.error(err); res.status(500).end(); });
        });
        function handleEvent(event) {
          if (event.type !== 'message' || event.message.type !== 'text') {
            return Promise.resolve(null);
          }
          return client.replyMessage({ replyToken: event.replyToken, messages: [{ type: 'text', text: event.message.text }] });
        }
        app.listen(Number(process.env.PORT), '127.0.0.1');
        """;

    /// <summary>Installs the peer into <paramref name="folder"/> (npm, pinned versions) and starts it.</summary>
    public static async Task<ServerProcess> StartAsync(string folder, string secret, Uri fakeLineApi)
    {
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "package.json"), PackageJson);
        await File.WriteAllTextAsync(Path.Combine(folder, "peer.js"), PeerJs);
        var npm = Process.Start(new ProcessStartInfo("npm", ["install", "--no-audit", "--no-fund", "--silent"]) { WorkingDirectory = folder, UseShellExecute = false })
                  ?? throw new InvalidOperationException("npm could not be started");
        await npm.WaitForExitAsync();
        if (npm.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm install of the SDK peer failed ({npm.ExitCode}) in {folder}");
        }

        return ServerProcess.Start(Path.Combine(folder, "peer.js"), [], new Dictionary<string, string>
        {
            ["PORT"] = "{port}",
            ["CHANNEL_SECRET"] = secret,
            ["CHANNEL_ACCESS_TOKEN"] = "load-test-access-token",
            ["LINE_API_BASE_URL"] = fakeLineApi.ToString().TrimEnd('/'),
            ["NODE_ENV"] = "production",
        }, folder, Path.Combine(folder, "peer.log"), command: "node");
    }
}
