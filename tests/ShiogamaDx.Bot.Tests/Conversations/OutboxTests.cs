using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Conversations;

public sealed class OutboxTests : IDisposable
{
    private readonly BotApplication app = new();

    public void Dispose() => app.Dispose();

    [Fact]
    public async Task Add_IsIdempotent_SignsButtons_AndDueRespectsNotBefore()
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var outbox = scope.ServiceProvider.GetRequiredService<Outbox>();
            var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
            var replies = new Reply[] { new ChoicesReply("明日です", [new Choice("キャンセルする", Postback.Create("classes", "cancel", ("id", "1")))]) };
            Assert.True(await outbox.AddAsync("line", "line-1", replies, "reminder:1", CancellationToken.None));
            Assert.False(await outbox.AddAsync("line", "line-1", replies, "reminder:1", CancellationToken.None));
            Assert.True(await outbox.AddAsync("line", "line-2", replies, "reminder:2", CancellationToken.None, app.Clock.GetUtcNow().AddHours(1)));
            await db.SaveChangesAsync();
            Assert.False(await outbox.AddAsync("line", "line-1", replies, "reminder:1", CancellationToken.None));
        }

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var due = await scope.ServiceProvider.GetRequiredService<Outbox>().DueAsync("line", 10, CancellationToken.None);
            var message = Assert.Single(due);
            var choice = Assert.IsType<ChoicesReply>(Assert.Single(message.Replies)).Choices[0];
            Assert.Contains("&sig=", choice.Value, StringComparison.Ordinal);
        }

        app.Clock.Advance(TimeSpan.FromHours(2));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.Equal(2, (await scope.ServiceProvider.GetRequiredService<Outbox>().DueAsync("line", 10, CancellationToken.None)).Count);
        }
    }
}
