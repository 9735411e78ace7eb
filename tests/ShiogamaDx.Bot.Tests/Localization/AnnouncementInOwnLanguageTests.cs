using ShiogamaDx.Bot.Localization;
using ShiogamaDx.Bot.Tests.Announcements;
using ShiogamaDx.Bot.Tests.Line;
using static ShiogamaDx.Bot.Tests.Localization.ResidentLanguageTests;

namespace ShiogamaDx.Bot.Tests.Localization;

/// <summary>
/// An announcement residents chose, in the language kept for each of them: residents through signed webhooks (the
/// fake LINE API on loopback serving their profiles), the office through the operations API or the staff chat, the
/// multicasts read back from the fake LINE API; real SQLite.
/// </summary>
public sealed class AnnouncementInOwnLanguageTests
{
    private const string Japanese = "U00000000000000000000000000000a01";
    private const string EnglishProfile = "U00000000000000000000000000000a02";
    private const string ChosePortuguese = "U00000000000000000000000000000a03";
    private const string VietnameseProfile = "U00000000000000000000000000000a04";
    private const string ChoseEasy = "U00000000000000000000000000000a05";

    private const string JapaneseText = "明日10時から避難訓練を行います。";

    [Fact]
    public async Task TranslatedAnnouncement_ReachesEachResidentInTheirLanguage_AndAnUntranslatedOneIsSaidToBeJapanese()
    {
        await using var h = await AnnouncementsHost.StartAsync(AnnouncementsHost.MulticastOnly());
        await ResidentsAsync(h);

        var created = await h.PostAnnouncementAsync(new
        {
            topic = "disaster",
            text = JapaneseText,
            author = h.Author.AadObjectId,
            texts = new Dictionary<string, string>
            {
                ["en"] = "An evacuation drill will be held tomorrow from 10:00.",
                ["pt"] = "Amanhã, a partir das 10h, haverá um simulado de evacuação.",
                ["easy"] = "あした 10時から ひなんの れんしゅうを します。",
            },
        });
        Assert.Equal(5, (int)created["recipients"]!);
        await h.ApproveAsync((long)created["id"]!, h.Approver.AadObjectId);
        var a = await h.DeliveredAsync((long)created["id"]!);
        Assert.Equal((5, 5, 0), (a.Recipients, a.Delivered, a.Failed));

        var got = Received(h);
        Assert.All(h.Line.MulticastsPerUser().Values, n => Assert.Equal(1, n)); // each resident one message set, once

        Assert.Contains("【防災・災害】塩竈市からのお知らせ\n" + JapaneseText, got[Japanese], StringComparison.Ordinal);

        Assert.Contains("[Disaster prevention and disasters] News from Shiogama City\nAn evacuation drill will be held tomorrow from 10:00.", got[EnglishProfile], StringComparison.Ordinal);
        Assert.False(HasJapanese(got[EnglishProfile]), got[EnglishProfile]);

        Assert.Contains("Aviso da Prefeitura de Shiogama\nAmanhã, a partir das 10h", got[ChosePortuguese], StringComparison.Ordinal);
        Assert.False(HasJapanese(got[ChosePortuguese]), got[ChosePortuguese]);

        Assert.Contains("ひなんの れんしゅう", got[ChoseEasy], StringComparison.Ordinal);
        Assert.DoesNotContain(JapaneseText, got[ChoseEasy], StringComparison.Ordinal);

        // No Vietnamese text: the Japanese, after the note in Vietnamese that it is only in Japanese.
        var vi = Pack("vi");
        Assert.StartsWith(vi["japanese-only"], got[VietnameseProfile], StringComparison.Ordinal);
        Assert.Contains(JapaneseText, got[VietnameseProfile], StringComparison.Ordinal);
        Assert.Empty(h.Line.SpecErrors);
    }

    [Fact]
    public async Task StaffChat_TakesATranslationByTheLanguagesName_ShowsItInThePreview_AndSaysWhoLacksOne()
    {
        await using var h = await AnnouncementsHost.StartAsync(AnnouncementsHost.MulticastOnly());
        await h.JoinAsync(h.Author);
        await ResidentsAsync(h);

        var preview = await h.SayAsStaffAsync(h.Author, "お知らせを作る\n話題: 防災・災害\n本文: " + JapaneseText + "\n英語: An evacuation drill will be held tomorrow from 10:00.\nWe ask for your cooperation.");
        Assert.Contains("[Disaster prevention and disasters] News from Shiogama City", preview, StringComparison.Ordinal);
        Assert.Contains("We ask for your cooperation.", preview, StringComparison.Ordinal);
        Assert.Contains("訳のない言語で受け取る住民が2人います", preview, StringComparison.Ordinal); // pt and vi (やさしい日本語 reads the Japanese)

        var id = h.Db(db => db.Set<ShiogamaDx.Bot.Announcements.Announcement>().Single().Id);
        await h.ApproveAsync(id, h.Approver.AadObjectId);
        await h.DeliveredAsync(id);
        var got = Received(h);
        Assert.Contains("An evacuation drill will be held tomorrow from 10:00.\nWe ask for your cooperation.", got[EnglishProfile], StringComparison.Ordinal);
        Assert.False(HasJapanese(got[EnglishProfile]), got[EnglishProfile]);
        Assert.StartsWith(Pack("pt")["japanese-only"], got[ChosePortuguese], StringComparison.Ordinal);
        Assert.Contains(JapaneseText, got[ChoseEasy], StringComparison.Ordinal); // no easy text: the Japanese as it is
        Assert.DoesNotContain(Pack("en")["japanese-only"], got[Japanese], StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithAnLlm_AnUntranslatedLanguage_GetsALabelledMachineTranslation()
    {
        await using var llm = await ShiogamaDx.Bot.Tests.Guidelines.FakeLlmServer.StartAsync();
        llm.Answer = _ => "Thông báo đã dịch máy";
        var settings = AnnouncementsHost.MulticastOnly();
        settings["Ai:Provider"] = "OpenAICompatible";
        settings["Ai:Endpoint"] = llm.Endpoint;
        settings["Ai:Model"] = "fake-model";
        settings["Ai:ApiKey"] = "test-key";
        await using var h = await AnnouncementsHost.StartAsync(settings);
        await ResidentsAsync(h);

        var created = await h.PostAnnouncementAsync(new { topic = "disaster", text = JapaneseText, author = h.Author.AadObjectId, texts = new Dictionary<string, string> { ["en"] = "An evacuation drill tomorrow." } });
        await h.ApproveAsync((long)created["id"]!, h.Approver.AadObjectId);
        await h.DeliveredAsync((long)created["id"]!);
        var got = Received(h);
        Assert.StartsWith(Pack("vi")["machine-translation"], got[VietnameseProfile], StringComparison.Ordinal);
        Assert.Contains("Thông báo đã dịch máy", got[VietnameseProfile], StringComparison.Ordinal);
        Assert.False(HasJapanese(got[VietnameseProfile]), got[VietnameseProfile]);
        Assert.Contains("An evacuation drill tomorrow.", got[EnglishProfile], StringComparison.Ordinal); // the office's own text, not the machine's
        Assert.DoesNotContain(Pack("en")["machine-translation"], got[EnglishProfile], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABroadcastToEveryone_IsFollowedByTheirOwnVersion_ForThoseWhoKeepAnotherLanguage()
    {
        await using var h = await AnnouncementsHost.StartAsync(); // broadcast on: a default-on topic no friend turned off
        await ResidentsAsync(h);

        var created = await h.PostAnnouncementAsync(new { topic = "disaster", text = JapaneseText, author = h.Author.AadObjectId, texts = new Dictionary<string, string> { ["en"] = "An evacuation drill tomorrow." } });
        Assert.True((bool)created["everyone"]!);
        await h.ApproveAsync((long)created["id"]!, h.Approver.AadObjectId);
        var a = await h.DeliveredAsync((long)created["id"]!);
        Assert.Equal((5, 5), (a.Recipients, a.Delivered)); // the own versions are not counted twice

        var broadcast = Assert.Single(h.Line.Broadcasts, c => c.Status == 200);
        Assert.Contains(JapaneseText, broadcast.AllText, StringComparison.Ordinal);
        await h.EventuallyAsync(() => h.Line.Multicasts.Count(c => c.Status == 200) == 3, "the own versions sent (en, pt, vi)");
        var got = Received(h);
        Assert.Equal([EnglishProfile, ChosePortuguese, VietnameseProfile], got.Keys.Order(StringComparer.Ordinal)); // やさしい日本語 reads the Japanese broadcast
        Assert.Contains("An evacuation drill tomorrow.", got[EnglishProfile], StringComparison.Ordinal);
        Assert.StartsWith(Pack("vi")["japanese-only"], got[VietnameseProfile], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATranslationInALanguageWithoutAPack_IsRefused_NothingKept()
    {
        await using var h = await AnnouncementsHost.StartAsync(AnnouncementsHost.MulticastOnly());
        var refused = await h.PostAnnouncementAsync(
            new { topic = "disaster", text = JapaneseText, author = h.Author.AadObjectId, texts = new Dictionary<string, string> { ["fr"] = "Exercice d'évacuation demain." } },
            System.Net.HttpStatusCode.BadRequest);
        Assert.Contains("「fr」の訳は送れません", refused.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), StringComparison.Ordinal);
        Assert.Empty(h.Db(db => db.Set<ShiogamaDx.Bot.Announcements.Announcement>().ToList()));
    }

    /// <summary>Five residents, each known as the webhook makes them: by LINE profile, by choice, or Japanese.</summary>
    private static async Task ResidentsAsync(AnnouncementsHost h)
    {
        h.Line.ProfileLanguages[EnglishProfile] = "en";
        h.Line.ProfileLanguages[VietnameseProfile] = "vi";
        foreach (var id in new[] { Japanese, EnglishProfile, ChosePortuguese, VietnameseProfile, ChoseEasy })
        {
            await h.FollowAsync(id);
        }

        await h.SayAsResidentAsync(ChosePortuguese, "Português");
        await h.SayAsResidentAsync(ChoseEasy, "やさしい日本語で");
    }

    /// <summary>What each resident received by multicast, all texts together.</summary>
    private static Dictionary<string, string> Received(AnnouncementsHost h) => h.Line.Multicasts.Where(c => c.Status == 200)
        .SelectMany(c => c.Body!["to"]!.AsArray().Select(t => ((string)t!, c.AllText)))
        .GroupBy(x => x.Item1).ToDictionary(g => g.Key, g => string.Join("\n", g.Select(x => x.AllText)));

    private static LanguagePack Pack(string code) => LanguageCatalog.LoadFolder(Path.Combine(AppContext.BaseDirectory, "Content", LanguageCatalog.Folder), out _)[code];
}
