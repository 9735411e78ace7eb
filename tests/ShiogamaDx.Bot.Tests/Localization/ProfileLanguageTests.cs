using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Classes;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Localization;
using ShiogamaDx.Bot.Tests.Line;
using static ShiogamaDx.Bot.Tests.Localization.ResidentLanguageTests;

namespace ShiogamaDx.Bot.Tests.Localization;

/// <summary>
/// The language of a resident's LINE profile, kept with where it comes from, so what the bot says on its own (class
/// pushes) is in it too: signed webhooks, the fake LINE API on loopback serving the profile, real SQLite, the fake clock.
/// </summary>
public sealed class ProfileLanguageTests
{
    /// <summary>Longer than the day a profile's language is remembered in memory: the next turn reads the profile again.</summary>
    private static readonly TimeSpan NextDay = TimeSpan.FromHours(25);

    [Fact]
    public async Task ResidentKnownOnlyByTheirProfile_IsRemindedInTheProfilesLanguage_AndInJapaneseOnceTheyChoseIt()
    {
        await using var host = await LineTestHost.StartAsync(new() { ["Classes:BackgroundJobs"] = "false" });
        host.Fake.ProfileLanguages[LineTestHost.UserId] = "en";

        // A new friend whose phone is in English: greeted in English, and nothing they wrote or chose.
        await host.SendAsync(LineEvents.Follow(host.Now));
        await host.WhenSettledAsync();
        var greeting = host.Fake.Replies.Last().AllText;
        Assert.Contains("What would you like to know?", greeting, StringComparison.Ordinal);
        Assert.False(HasJapanese(greeting.Split("The following is only available in Japanese:")[0]), greeting); // a feature's offer is said to be Japanese
        var kept = host.Db(db => db.Set<ResidentLanguage>().AsNoTracking().Single());
        Assert.Equal(("en", LanguageSource.Profile), (kept.Language, kept.Source));
        Assert.Equal(host.UserKey, kept.UserKey); // the pseudonymous key, never the LINE id
        Assert.NotEqual(LineTestHost.UserId, kept.UserKey);

        SmartphoneClass first;
        await using (var scope = host.App.Services.CreateAsyncScope())
        {
            var booking = scope.ServiceProvider.GetRequiredService<ClassBooking>();
            first = (await booking.UpcomingAsync(CancellationToken.None))[0];
            await booking.RegisterAsync(first.Id, host.UserKey, "line", 0, CancellationToken.None);
        }

        // The day before the class: the reminder has no turn, and is in English all the same.
        host.App.Clock.SetUtcNow(ClassTime.At(ClassTime.Date(first.StartsAt).AddDays(-1), new TimeOnly(10, 0)));
        Assert.Equal(1, (await host.App.Services.GetRequiredService<ClassJobs>().TickAsync(CancellationToken.None)).Reminders);
        await host.EventuallyAsync(() => host.Fake.Pushes.Any(p => p.Status == 200), advanceBy: TimeSpan.FromSeconds(1), because: "the reminder pushed");
        var reminder = Assert.Single(host.Fake.Pushes).AllText;
        Assert.Contains("Tomorrow is your smartphone class", reminder, StringComparison.Ordinal);
        Assert.False(HasJapanese(reminder), "Japanese in the English reminder:\n" + reminder);

        // The resident asks for Japanese: kept as their choice, so the survey invitation after the class is Japanese,
        // with no label (the English phone does not bring English back).
        await host.SendAsync(LineEvents.Text("日本語", host.Now));
        await host.WhenSettledAsync();
        kept = host.Db(db => db.Set<ResidentLanguage>().AsNoTracking().Single());
        Assert.Equal((LanguagePack.Japanese, LanguageSource.Chosen), (kept.Language, kept.Source));

        host.App.Clock.SetUtcNow(first.EndsAt.AddHours(3));
        Assert.Equal(1, (await host.App.Services.GetRequiredService<ClassJobs>().TickAsync(CancellationToken.None)).Surveys);
        await host.EventuallyAsync(() => host.Fake.Pushes.Count(p => p.Status == 200) == 2, advanceBy: TimeSpan.FromSeconds(1), because: "the survey invitation pushed");
        var invitation = host.Fake.Pushes.Last().AllText;
        Assert.Contains("アンケートに答える", invitation, StringComparison.Ordinal);
        Assert.DoesNotContain("only available in Japanese", invitation, StringComparison.Ordinal);
        Assert.True(host.Fake.ProfileRequests.Count >= 2, "the profile was read again after a day");
        Assert.Empty(host.Fake.SpecErrors);
    }

    [Fact]
    public async Task ProfileChange_ChangesAProfilesLanguage_ButNeverOneTheResidentChoseOrWroteIn()
    {
        await using var host = await LineTestHost.StartAsync();
        host.Fake.ProfileLanguages[LineTestHost.UserId] = "en";

        // 住民票 alone says nothing of the language: the profile's decides, and is kept as the profile's.
        Assert.Contains("certificate of residence", await SayAsync(host, "住民票"), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(("en", LanguageSource.Profile), Kept(host));

        // The phone changed to Portuguese: read again the next day, and followed.
        host.Fake.ProfileLanguages[LineTestHost.UserId] = "pt-BR";
        host.App.Clock.Advance(NextDay);
        Assert.Contains("atestado de residência", await SayAsync(host, "住民票"), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(("pt", LanguageSource.Profile), Kept(host));

        // Back to Japanese: the profile's language is forgotten, and 住民票 is answered in Japanese.
        host.Fake.ProfileLanguages[LineTestHost.UserId] = "ja";
        host.App.Clock.Advance(NextDay);
        var japanese = await SayAsync(host, "住民票");
        Assert.Contains("住民票の写し", japanese, StringComparison.Ordinal);
        Assert.DoesNotContain("atestado", japanese, StringComparison.Ordinal);
        Assert.Null(Kept(host));

        // English again, then the resident chooses Japanese: a later profile language does not override it.
        host.Fake.ProfileLanguages[LineTestHost.UserId] = "en";
        host.App.Clock.Advance(NextDay);
        await SayAsync(host, "住民票");
        Assert.Equal(("en", LanguageSource.Profile), Kept(host));
        await SayAsync(host, "日本語");
        host.Fake.ProfileLanguages[LineTestHost.UserId] = "pt";
        host.App.Clock.Advance(NextDay);
        Assert.Contains("住民票の写し", await SayAsync(host, "住民票"), StringComparison.Ordinal);
        Assert.Equal((LanguagePack.Japanese, LanguageSource.Chosen), Kept(host));

        // Written in English: kept as written; the profile (Korean now) does not override it either.
        await SayAsync(host, "How do I get a copy of my certificate of residence?");
        Assert.Equal(("en", LanguageSource.Written), Kept(host));
        host.Fake.ProfileLanguages[LineTestHost.UserId] = "ko";
        host.App.Clock.Advance(NextDay);
        Assert.Contains("certificate of residence", await SayAsync(host, "住民票"), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(("en", LanguageSource.Written), Kept(host));
        Assert.Empty(host.Fake.SpecErrors);
    }

    [Fact]
    public async Task OneJapaneseWord_FromAResidentWhoKeepsAnotherLanguage_IsAnsweredInIt_ButAJapaneseSentenceSwitches()
    {
        await using var host = await LineTestHost.StartAsync();
        await SayAsync(host, "How do I get a copy of my certificate of residence?");
        Assert.Equal(("en", LanguageSource.Written), Kept(host));

        // The runtime's Japanese word ends the flow, as "cancel" does; said in English, and English is kept.
        Assert.Contains("What is your feedback about?", await SayAsync(host, "I have some feedback"), StringComparison.Ordinal);
        var cancelled = await SayAsync(host, "やめる");
        Assert.Contains("Stopped \"Feedback\"", cancelled, StringComparison.Ordinal);
        Assert.False(HasJapanese(cancelled), cancelled);
        Assert.Empty(host.Db(db => db.Set<ConversationStateRecord>().AsNoTracking().ToList())); // the flow is over
        Assert.Equal(("en", LanguageSource.Written), Kept(host));

        // A catalog word typed in hiragana, and thanks at length: still English.
        var word = await SayAsync(host, "じゅうみんひょう");
        Assert.Contains("Copy of the certificate of residence", word, StringComparison.Ordinal);
        Assert.False(HasJapanese(word), word);
        // Thanks are the engine's small talk, said to be in Japanese (no LLM here): nothing to search, nothing unanswered.
        Assert.Contains("The following is only available in Japanese:", await SayAsync(host, "ありがとうございます"), StringComparison.Ordinal);
        Assert.Empty(host.Db(db => db.Set<UnansweredQuestion>().AsNoTracking().ToList()));
        Assert.Equal(("en", LanguageSource.Written), Kept(host));

        // A Japanese sentence is evidence: answered in Japanese, and Japanese is kept as written.
        Assert.Contains("住民票の写し", await SayAsync(host, "住民票を取りたいです"), StringComparison.Ordinal);
        Assert.Equal((LanguagePack.Japanese, LanguageSource.Written), Kept(host));
        Assert.Empty(host.Fake.SpecErrors);
    }

    private static (string, LanguageSource)? Kept(LineTestHost host) =>
        host.Db(db => db.Set<ResidentLanguage>().AsNoTracking().Where(r => r.UserKey == host.UserKey).Select(r => new { r.Language, r.Source }).ToList())
            is [var row] ? (row.Language, row.Source) : null;

    private static async Task<string> SayAsync(LineTestHost host, string text)
    {
        await host.SendAsync(LineEvents.Text(text, host.Now));
        await host.WhenSettledAsync();
        return host.Fake.Replies.Last().AllText;
    }
}
