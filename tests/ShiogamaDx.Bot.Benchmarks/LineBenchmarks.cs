using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Line;
using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Benchmarks;

/// <summary>The webhook's hot path before anything is stored: signature over the raw bytes, then parsing.</summary>
[MemoryDiagnoser]
public class LineBenchmarks
{
    private const string Secret = "benchmark-channel-secret";
    private byte[] body = [];
    private string signature = string.Empty;
    private IReadOnlyList<Reply> carousel = [];
    private MessageSet words = null!;

    [GlobalSetup]
    public void Setup()
    {
        // Five text events from five people, as LINE batches them.
        var events = Enumerable.Range(0, 5).Select(i =>
            "{\"type\":\"message\",\"mode\":\"active\",\"timestamp\":" + (1764000000000L + i) + ",\"webhookEventId\":\"01JBENCH" + i.ToString("D18") + "\","
            + "\"deliveryContext\":{\"isRedelivery\":false},\"source\":{\"type\":\"user\",\"userId\":\"U" + i.ToString("D32") + "\"},"
            + "\"replyToken\":\"rt" + i + "\",\"message\":{\"id\":\"" + i + "\",\"type\":\"text\",\"quoteToken\":\"q\",\"text\":\"じゅうみんひょうをとりたいです\"}}");
        body = Encoding.UTF8.GetBytes("{\"destination\":\"Ubot\",\"events\":[" + string.Join(",", events) + "]}");
        signature = LineSignature.Compute(Secret, body);
        words = MessageSet.Load(Path.Combine(AppContext.BaseDirectory, "Content", MessageSet.FileName), MessageKey.All);
        carousel =
        [
            new TextReply("これからのスマホ教室です。"),
            new CardsReply("スマホ教室", Enumerable.Range(1, 6).Select(i => new Card(
                $"スマホ教室 {i}", "日時: 12月5日(土) 10:00〜12:00\n場所: 塩竈市公民館\n残り12席",
                [new CardAction("申し込む", CardActionKind.Postback, Postback.Create("classes", "register", ("id", $"c{i}")))])).ToList()),
        ];
    }

    [Benchmark]
    public bool VerifySignature() => LineSignature.IsValid(signature, body, Secret);

    [Benchmark]
    public int ParseWebhook() => JsonSerializer.Deserialize(body, LineWebhookJson.Default.LineWebhookBody)!.Events!.Count;

    [Benchmark]
    public int RenderCarousel() => LineRenderer.Render(carousel, words).Count;
}
