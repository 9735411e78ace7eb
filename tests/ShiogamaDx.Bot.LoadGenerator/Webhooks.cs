using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ShiogamaDx.Bot.LoadGenerator;

/// <summary>Builds one-event text-message webhooks as LINE sends them, signed with the channel secret.</summary>
internal sealed class Webhooks(string secret, int users)
{
    /// <summary>Residents' questions by kind; each answer is one reply (≤ 5 messages), so no push is needed.</summary>
    private static readonly (QuestionKind Kind, string Text)[] Questions =
    [
        (QuestionKind.Menu, "こんにちは"),
        (QuestionKind.Procedure, "住民票がほしい"),
        (QuestionKind.Class, "スマホ教室"),
        (QuestionKind.Procedure, "印鑑証明がほしい"),
        (QuestionKind.Menu, "メニュー"),
        (QuestionKind.Procedure, "戸籍謄本を郵送で取り寄せたい"),
        (QuestionKind.Class, "スマホ教室の日程を教えて"),
        (QuestionKind.Procedure, "じゅうみんひょう とりたい"),
    ];

    private static readonly string[] QuestionsJson = [.. Questions.Select(q => JsonSerializer.Serialize(q.Text))];

    private readonly byte[] key = Encoding.UTF8.GetBytes(secret);
    private readonly string run = Guid.NewGuid().ToString("N")[..12];

    public const string Path = "api/line/webhook";

    public const string TokenPrefix = "lg";

    /// <summary>Event <paramref name="index"/>: from user index % users, its reply token names the index.</summary>
    public HttpRequestMessage Create(int index)
    {
        var user = (index % users).ToString("x32", CultureInfo.InvariantCulture);
        var question = QuestionsJson[(index / users + index) % Questions.Length];
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var json = string.Create(CultureInfo.InvariantCulture, $$$"""
            {"destination":"Uload","events":[{"type":"message","mode":"active","timestamp":{{{now}}},"source":{"type":"user","userId":"U{{{user}}}"},"webhookEventId":"{{{run}}}{{{index:D12}}}","deliveryContext":{"isRedelivery":false},"replyToken":"{{{TokenPrefix}}}{{{index}}}","message":{"id":"{{{index}}}","type":"text","quoteToken":"q{{{index}}}","text":{{{question}}}}}]}
            """);
        var body = Encoding.UTF8.GetBytes(json);
        var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TryAddWithoutValidation("X-Line-Signature", Convert.ToBase64String(HMACSHA256.HashData(key, body)));
        return request;
    }

    /// <summary>The question of event <paramref name="index"/>, matching <see cref="Create"/>.</summary>
    public QuestionKind Kind(int index) => Questions[(index / users + index) % Questions.Length].Kind;
}
