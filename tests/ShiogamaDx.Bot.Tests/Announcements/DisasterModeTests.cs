using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Announcements;
using ShiogamaDx.Bot.Line.RichMenu;
using ShiogamaDx.Bot.Tests.Classes;

namespace ShiogamaDx.Bot.Tests.Announcements;

/// <summary>
/// The disaster mode through the real seams: staff switch it in the staff chat (fake connector) or the operations API,
/// residents write through the signed webhook and LINE (fake API on loopback) receives their answers and the rich menu
/// calls; the state is in SQLite.
/// </summary>
public sealed class DisasterModeTests
{
    private const string NormalMenu = "richmenu-normal-0000000000000000000001";
    private const string DisasterMenu = "richmenu-disaster-00000000000000000002";

    private static async Task<(AnnouncementsHost Host, string NoticeFile)> StartAsync(string? database = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "shiogama-dx-tests", "disaster-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var notice = Path.Combine(folder, DisasterNoticeFile.FileName);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Content", DisasterNoticeFile.FileName), notice);
        var settings = new Dictionary<string, string?> { ["Announcements:DisasterFile"] = notice };
        if (database is not null)
        {
            settings["ConnectionStrings:Bot"] = $"Data Source={database}";
        }

        var h = await AnnouncementsHost.StartAsync(settings);
        // The two menus as an operator registered them (line richmenu apply, and apply --disaster).
        h.Line.AddRichMenu(NormalMenu, asDefault: true, alias: RichMenuAliases.MainAlias);
        h.Line.AddRichMenu(DisasterMenu, alias: RichMenuAliases.DisasterAlias);
        return (h, notice);
    }

    [Fact]
    public async Task StartedInTheStaffChat_EachResidentsNextAnswerBeginsWithTheNotice_MenuSwitchedForEveryone_EndRestoresAll()
    {
        var (h, noticeFile) = await StartAsync();
        await using var _ = h;
        string r1 = AnnouncementsHost.ResidentId(1), r2 = AnnouncementsHost.ResidentId(2);
        await h.FollowAsync(r1);
        await h.FollowAsync(r2);
        foreach (var s in new[] { h.Duty, h.Author, h.Other })
        {
            await h.JoinAsync(s);
        }

        Assert.Contains("権限を持つ職員だけ", await h.SayAsStaffAsync(h.Other, "災害モードを開始 津波警報"), StringComparison.Ordinal);
        Assert.Contains("理由を添えてください", await h.SayAsStaffAsync(h.Duty, "災害モードを開始"), StringComparison.Ordinal);
        Assert.Equal(0, h.Db(db => db.Set<DisasterPeriod>().Count()));
        Assert.DoesNotContain("【災害時のお知らせ】", (await h.SayAsResidentAsync(r1, "スマホ教室")).AllText, StringComparison.Ordinal);

        var started = await h.SayAsStaffAsync(h.Duty, "災害モードを開始 津波警報のため");
        Assert.Contains("災害モードを開始しました（理由: 津波警報のため）", started, StringComparison.Ordinal);
        Assert.Contains("災害用に切り替えました", started, StringComparison.Ordinal);

        // One call for everyone, by alias; none per person.
        Assert.Equal(DisasterMenu, h.Line.DefaultRichMenu);
        Assert.Single(h.Line.Calls, c => c.Path.StartsWith("/v2/bot/user/all/richmenu/", StringComparison.Ordinal));
        Assert.Empty(h.Line.PerUserRichMenuCalls);

        // The other staff with a role hear of it in the staff chat; the one who switched got the reply.
        await h.EventuallyAsync(() => h.Proactive(h.Author).Any(a => AnnouncementsHost.Visible(a).Contains("【災害モード開始】", StringComparison.Ordinal)), "the author told");
        Assert.Contains("津波警報のため", AnnouncementsHost.Visible(h.Proactive(h.Author).Last()), StringComparison.Ordinal);
        Assert.DoesNotContain(h.Proactive(h.Duty), a => AnnouncementsHost.Visible(a).Contains("災害モード", StringComparison.Ordinal));

        // Each resident's next answer begins with the notice, and the question is still answered; once each.
        var first = await h.SayAsResidentAsync(r1, "スマホ教室");
        var messages = first.Body!["messages"]!.AsArray();
        Assert.StartsWith("【災害時のお知らせ】塩竈市", (string?)messages[0]!["text"], StringComparison.Ordinal);
        Assert.Contains("022-364-1111", (string?)messages[0]!["text"], StringComparison.Ordinal);
        Assert.True(messages.Count > 1, first.AllText);
        var readable = new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        Assert.Contains("スマホ教室", string.Join("\n", messages.Skip(1).Select(m => m!.ToJsonString(readable))), StringComparison.Ordinal);
        Assert.DoesNotContain("【災害時のお知らせ】", (await h.SayAsResidentAsync(r1, "スマホ教室")).AllText, StringComparison.Ordinal);
        Assert.StartsWith("【災害時のお知らせ】", (await h.SayAsResidentAsync(r2, "お知らせの設定")).AllText, StringComparison.Ordinal);

        // The office edits the notice during the disaster: the next answer carries the new wording, once.
        var edited = (await File.ReadAllTextAsync(noticeFile)).Replace("shelters:\n", "shelters:\n  - 塩竈市立第二小学校 体育館\n", StringComparison.Ordinal);
        await File.WriteAllTextAsync(noticeFile, edited);
        File.SetLastWriteTimeUtc(noticeFile, DateTime.UtcNow.AddMinutes(1));
        var again = (await h.SayAsResidentAsync(r1, "スマホ教室")).AllText;
        Assert.Contains("・塩竈市立第二小学校 体育館", again, StringComparison.Ordinal);
        Assert.DoesNotContain("【災害時のお知らせ】", (await h.SayAsResidentAsync(r1, "スマホ教室")).AllText, StringComparison.Ordinal);

        // A broken edit leaves the last good notice in use.
        await File.WriteAllTextAsync(noticeFile, "title: x\ntext: y\nphone: なし\n");
        File.SetLastWriteTimeUtc(noticeFile, DateTime.UtcNow.AddMinutes(2));
        Assert.Contains("・塩竈市立第二小学校 体育館", (await h.SayAsResidentAsync(r1, "災害情報")).AllText, StringComparison.Ordinal);

        Assert.Contains("すでに開始しています", await h.SayAsStaffAsync(h.Duty, "災害モードを開始 大雨"), StringComparison.Ordinal);
        Assert.Equal(1, h.Db(db => db.Set<DisasterPeriod>().Count()));

        var ended = await h.SayAsStaffAsync(h.Duty, "災害モードを終了");
        Assert.Contains("災害モードを終了しました", ended, StringComparison.Ordinal);
        Assert.Contains("通常のものに戻しました", ended, StringComparison.Ordinal);
        Assert.Equal(NormalMenu, h.Line.DefaultRichMenu);
        Assert.Empty(h.Line.PerUserRichMenuCalls);
        Assert.DoesNotContain("【災害時のお知らせ】", (await h.SayAsResidentAsync(r2, "スマホ教室")).AllText, StringComparison.Ordinal);
        await h.EventuallyAsync(() => h.Proactive(h.Author).Any(a => AnnouncementsHost.Visible(a).Contains("【災害モード終了】", StringComparison.Ordinal)), "the author told of the end");

        // The audit: who (pseudonymous), why, when, how.
        var period = h.Db(db => db.Set<DisasterPeriod>().AsNoTracking().Single());
        Assert.Equal(("津波警報のため", DisasterModeService.ViaStaffChat, DisasterModeService.ViaStaffChat), (period.Reason, period.StartedVia, period.EndedVia));
        Assert.NotNull(period.EndedAt);
        Assert.Null(period.Open);
        Assert.DoesNotContain(h.Duty.AadObjectId, period.StartedBy, StringComparison.Ordinal);
        Assert.Empty(h.Line.SpecErrors);
    }

    [Fact]
    public async Task OperationsApi_StartsAndEnds_WithARoleAndAReason_AndTheModeSurvivesARestart()
    {
        var folder = Path.Combine(Path.GetTempPath(), "shiogama-dx-tests", "disaster-db-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var database = Path.Combine(folder, "bot.db");
        var r1 = AnnouncementsHost.ResidentId(1);
        try
        {
            var (h, _) = await StartAsync(database);
            await using (h)
            {
                await h.FollowAsync(r1);
                var admin = h.Admin();
                Assert.False((bool)(await GetModeAsync(admin))["on"]!);
                Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("/api/admin/disaster-mode/start", new { by = h.Other.AadObjectId, reason = "地震" })).StatusCode);
                Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("/api/admin/disaster-mode/start", new { by = h.Duty.AadObjectId })).StatusCode);
                Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("/api/admin/disaster-mode/start", new { reason = "地震" })).StatusCode);
                using (var noKey = h.App.CreateClient())
                {
                    Assert.Equal(HttpStatusCode.Unauthorized, (await noKey.PostAsJsonAsync("/api/admin/disaster-mode/start", new { by = h.Duty.AadObjectId, reason = "地震" })).StatusCode);
                }

                Assert.Equal(0, h.Db(db => db.Set<DisasterPeriod>().Count()));

                var response = await admin.PostAsJsonAsync("/api/admin/disaster-mode/start", new { by = h.Duty.AadObjectId, reason = "震度6弱の地震" });
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var on = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                Assert.True((bool)on["on"]!);
                Assert.True((bool)on["disasterMenuShown"]!);
                Assert.Equal(DisasterMenu, h.Line.DefaultRichMenu);
            }

            // A restart on the same database: still on, the notice still comes first.
            var (again, _) = await StartAsync(database);
            await using (again)
            {
                var mode = await GetModeAsync(again.Admin());
                Assert.True((bool)mode["on"]!);
                Assert.Equal("震度6弱の地震", (string?)mode["reason"]);
                Assert.StartsWith("【災害時のお知らせ】", (await again.SayAsResidentAsync(r1, "スマホ教室")).AllText, StringComparison.Ordinal);

                var off = await again.Admin().PostAsJsonAsync("/api/admin/disaster-mode/end", new { by = again.Duty.AadObjectId });
                Assert.Equal(HttpStatusCode.OK, off.StatusCode);
                Assert.False((bool)(await GetModeAsync(again.Admin()))["on"]!);
                Assert.Equal(NormalMenu, again.Line.DefaultRichMenu);
                Assert.Equal(DisasterModeService.ViaApi, again.Db(db => db.Set<DisasterPeriod>().Single().EndedVia));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task MenuSwitch_WhenLineFails_IsTriedAgainByTheJob_AndWithoutADisasterMenuTheModeStillStarts()
    {
        var (h, _) = await StartAsync();
        await using var _ = h;
        await h.JoinAsync(h.Duty);
        h.Line.Fail("/v2/bot/user/all/richmenu/", 500);
        var started = await h.SayAsStaffAsync(h.Duty, "災害モードを開始 大雨特別警報");
        Assert.Contains("自動でやり直します", started, StringComparison.Ordinal);
        Assert.Equal(NormalMenu, h.Line.DefaultRichMenu);

        await h.App.Services.GetRequiredService<AnnouncementJob>().TickAsync(CancellationToken.None);
        Assert.Equal(DisasterMenu, h.Line.DefaultRichMenu);
        Assert.True(h.Db(db => db.Set<DisasterPeriod>().Single().DisasterMenuShown));

        Assert.Contains("通常のものに戻しました", await h.SayAsStaffAsync(h.Duty, "災害モードを終了"), StringComparison.Ordinal);
        Assert.Equal(NormalMenu, h.Line.DefaultRichMenu);
    }

    [Fact]
    public async Task ClassReminders_PauseWhileTheModeIsOn_AndGoOutAfterwards()
    {
        const string Duty = "duty-0001";
        using var app = new ClassesTestApp(new Dictionary<string, string?> { ["Announcements:Disaster:0"] = Duty });
        await app.RegisterAsync("r1", "少人数のLINE教室");
        using var admin = app.App.CreateClient();
        admin.DefaultRequestHeaders.Add("X-Api-Key", ClassesTestApp.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/api/admin/disaster-mode/start", new { by = Duty, reason = "台風" })).StatusCode);

        app.App.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.FromHours(9)));
        Assert.Equal(0, (await app.TickAsync()).Reminders);
        Assert.Empty(app.Outbox("class-reminder:"));

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/api/admin/disaster-mode/end", new { by = Duty })).StatusCode);
        Assert.Equal(1, (await app.TickAsync()).Reminders);
    }

    private static async Task<JsonNode> GetModeAsync(HttpClient admin) => JsonNode.Parse(await admin.GetStringAsync("/api/admin/disaster-mode"))!;
}
