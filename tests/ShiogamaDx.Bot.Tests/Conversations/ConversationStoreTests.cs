using System.Collections.Immutable;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Conversations;

public sealed class ConversationStoreTests : IDisposable
{
    private readonly BotApplication app = new();

    public void Dispose() => app.Dispose();

    private DialogState State(string step, TimeSpan lifetime) =>
        new("resident-feedback", step, ImmutableDictionary<string, string>.Empty, 0, app.Clock.GetUtcNow() + lifetime);

    [Fact]
    public async Task InOneScope_StatesAndOffersOfSeveralPeople_FollowTheirOwnChanges()
    {
        // Before: A in a dialog with offers, B with an expired dialog, C with nothing.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var store = scope.ServiceProvider.GetRequiredService<ConversationStore>();
            await store.SaveAsync("a", State("rating", TimeSpan.FromMinutes(30)), default);
            await store.SaveAsync("b", State("comment", TimeSpan.FromMinutes(1)), default);
            await store.SaveOffersAsync("a", [new Choice("はい"), new Choice("いいえ")], default);
        }

        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var store = scope.ServiceProvider.GetRequiredService<ConversationStore>();
            var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();

            // What a batch's turns do, one person after another, in one scope.
            var (a, aExpired) = await store.LoadAsync("a", default);
            Assert.Equal(("rating", false), (a!.StepId, aExpired));
            Assert.Equal(["はい", "いいえ"], (await store.LoadOffersAsync("a", default)).Select(c => c.Label));
            await store.SaveAsync("a", null, default); // A's dialog ended
            await store.StageOffersAsync("a", [new Choice("メニュー")], default);

            Assert.Equal((null, true), await store.LoadAsync("b", default)); // expired: removed, said once
            await store.SaveAsync("b", State("rating", TimeSpan.FromMinutes(30)), default); // and a new one started

            Assert.Equal((null, false), await store.LoadAsync("c", default));
            Assert.Empty(await store.LoadOffersAsync("c", default));
            await store.SaveAsync("c", State("rating", TimeSpan.FromMinutes(30)), default);
            await store.StageOffersAsync("c", [new Choice("1")], default);

            // Read again in the same scope, the rows follow the changes.
            Assert.Equal((null, false), await store.LoadAsync("a", default));
            Assert.Equal("rating", (await store.LoadAsync("b", default)).State!.StepId);
            Assert.Equal("rating", (await store.LoadAsync("c", default)).State!.StepId);
            await db.SaveChangesAsync();
        }

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var store = scope.ServiceProvider.GetRequiredService<ConversationStore>();
            var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
            Assert.Equal(["b", "c"], db.Set<ConversationStateRecord>().AsNoTracking().Select(r => r.ConversationKey).OrderBy(k => k).ToList());
            Assert.Equal(["メニュー"], (await store.LoadOffersAsync("a", default)).Select(c => c.Label));
            Assert.Equal(["1"], (await store.LoadOffersAsync("c", default)).Select(c => c.Label));
        }
    }
}
