using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Localization;
using ShiogamaDx.Bot.Tests.Conversations;
using ShiogamaDx.Bot.Tests.Guidelines;
using ShiogamaDx.Bot.Tests.Infrastructure;
using ShiogamaDx.Bot.Tests.Line;

namespace ShiogamaDx.Bot.Tests.Localization;

/// <summary>Residents in their own language, through signed webhooks, the fake LINE API on loopback and real SQLite.</summary>
public sealed class ResidentLanguageTests
{
    [Fact]
    public async Task EnglishQuestion_IsAnsweredWhollyInEnglish_AndTheLanguageIsKept()
    {
        await using var host = await LineTestHost.StartAsync();

        await host.SendAsync(LineEvents.Text("How do I get a copy of my certificate of residence?", host.Now));
        await host.WhenSettledAsync();

        var reply = Assert.Single(host.Fake.Replies);
        Assert.Contains("Copy of the certificate of residence", reply.AllText, StringComparison.Ordinal);
        Assert.Contains("Apply online", reply.AllText, StringComparison.Ordinal);
        Assert.Contains("Was this helpful?", reply.AllText, StringComparison.Ordinal);
        Assert.False(HasJapanese(reply.AllText), "Japanese in an English answer:\n" + reply.AllText);
        Assert.Empty(host.Fake.SpecErrors);
        Assert.Equal("en", host.Db(db => db.Set<ResidentLanguage>().Single(r => r.UserKey == host.UserKey).Language));
        Assert.DoesNotContain(LineTestHost.UserId, host.Db(db => db.Set<ResidentLanguage>().Select(r => r.UserKey).ToList()));

        // "menu" next: still English, nothing to detect in it.
        await host.SendAsync(LineEvents.Text("menu", host.Now));
        await host.WhenSettledAsync();
        var menu = host.Fake.Replies.Last();
        Assert.Contains("Smartphone classes", menu.AllText, StringComparison.Ordinal);
        Assert.False(HasJapanese(menu.AllText), menu.AllText);
    }

    [Theory]
    [InlineData("ko", "주민표")]
    [InlineData("vi", "phiếu cư trú")]
    [InlineData("pt", "atestado de residência")]
    public async Task NewFriend_IsGreetedInTheLanguageOfTheirLineProfile(string language, string expectedWords)
    {
        await using var host = await LineTestHost.StartAsync();
        host.Fake.ProfileLanguages[LineTestHost.UserId] = language;

        await host.SendAsync(LineEvents.Follow(host.Now));
        await host.WhenSettledAsync();
        var greeting = Assert.Single(host.Fake.Replies).AllText;
        var note = LanguageCatalog.LoadFolder(Path.Combine(AppContext.BaseDirectory, "Content", LanguageCatalog.Folder), out _)[language]["japanese-only"];
        var inLanguage = greeting.Contains(note, StringComparison.Ordinal) ? greeting[..greeting.IndexOf(note, StringComparison.Ordinal)] : greeting;
        Assert.False(HasKana(inLanguage.Replace("日本語", string.Empty, StringComparison.Ordinal)), greeting); // 「日本語」 is the word to send back

        // A word of the content typed in Japanese script alone (住民票) says nothing of the language: the profile decides.
        await host.SendAsync(LineEvents.Text("住民票", host.Now));
        await host.WhenSettledAsync();
        Assert.Contains(expectedWords, host.Fake.Replies.Last().AllText, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(LineTestHost.UserId, host.Fake.ProfileRequests);
        Assert.Single(host.Fake.ProfileRequests.Distinct()); // read once, then remembered
        Assert.Empty(host.Fake.SpecErrors);
    }

    [Fact]
    public async Task TraditionalChineseProfile_IsAnsweredFromTheSimplifiedPack_AndToldSoOnce()
    {
        await using var host = await LineTestHost.StartAsync();
        host.Fake.ProfileLanguages[LineTestHost.UserId] = "zh-Hant";

        await host.SendAsync(LineEvents.Text("住民票", host.Now));
        await host.WhenSettledAsync();
        var first = host.Fake.Replies.Last().AllText;
        Assert.Contains("簡體字", first, StringComparison.Ordinal);
        Assert.Contains("住民票副本", first, StringComparison.Ordinal); // the Simplified pack's answer
        Assert.False(HasKana(first), first);

        await host.SendAsync(LineEvents.Text("住民票", host.Now));
        await host.WhenSettledAsync();
        Assert.DoesNotContain("簡體字", host.Fake.Replies.Last().AllText, StringComparison.Ordinal);
        Assert.Empty(host.Fake.SpecErrors);
    }

    [Fact]
    public async Task EasyJapanese_IsSwitchedOnByAsking_KeptForTheResident_AndShowsTheEasyVersion()
    {
        using var content = new ContentWithoutEasyVersions("genchari");
        await using var host = await LineTestHost.StartAsync(new Dictionary<string, string?> { ["Content:Path"] = content.Folder });

        await host.SendAsync(LineEvents.Text("やさしい日本語で", host.Now));
        await host.WhenSettledAsync();
        Assert.Contains("やさしい 日本語で こたえます", host.Fake.Replies.Last().AllText, StringComparison.Ordinal);
        Assert.Equal("easy", host.Db(db => db.Set<ResidentLanguage>().Single(r => r.UserKey == host.UserKey).Language));

        await host.SendAsync(LineEvents.Text("住民票がほしい", host.Now));
        await host.WhenSettledAsync();
        var easy = host.Fake.Replies.Last().AllText;
        Assert.Contains("ゆうびんで とどきます", easy, StringComparison.Ordinal);
        Assert.DoesNotContain("郵送で届きます", easy, StringComparison.Ordinal);

        // A procedure without an easy version: the regular answer, and a word that says so.
        await host.SendAsync(LineEvents.Text("原付の廃車", host.Now));
        await host.WhenSettledAsync();
        var regular = host.Fake.Replies.Last().AllText;
        Assert.Contains("原動機付自転車", regular, StringComparison.Ordinal);
        Assert.Contains("まだ やさしい 日本語に なって いません", regular, StringComparison.Ordinal);

        await host.SendAsync(LineEvents.Text("ふつうの日本語", host.Now));
        await host.WhenSettledAsync();
        var kept = host.Db(db => db.Set<ResidentLanguage>().Single(r => r.UserKey == host.UserKey));
        Assert.Equal((LanguagePack.Japanese, LanguageSource.Chosen), (kept.Language, kept.Source)); // chosen over another: kept
        await host.SendAsync(LineEvents.Text("住民票がほしい", host.Now));
        await host.WhenSettledAsync();
        Assert.Contains("郵送で届きます", host.Fake.Replies.Last().AllText, StringComparison.Ordinal);
        Assert.Empty(host.Fake.SpecErrors);
    }

    [Fact]
    public async Task EasyJapaneseResident_GetsTheAnswersButtonsAndQuestion_InEasyJapanese_AndTheButtonsStillWork()
    {
        await using var host = await LineTestHost.StartAsync();
        await host.SendAsync(LineEvents.Text("やさしい日本語で", host.Now));
        await host.WhenSettledAsync();

        await host.SendAsync(LineEvents.Text("住民票がほしい", host.Now));
        await host.WhenSettledAsync();
        var reply = host.Fake.Replies.Last();
        var easy = reply.AllText;
        foreach (var said in new[] { "くわしく", "もっていく もの", "この あんないは やくに たちましたか。", "やくに たった", "やくに たたなかった", "じゅうみんひょう（住民票）" })
        {
            Assert.Contains(said, easy, StringComparison.Ordinal);
        }

        // The regular labels, question and sample note are not shown beside them (what LINE shows in the chat list too).
        foreach (var regular in new[] { "詳しく", "窓口で必要なもの", "役に立", "※サンプルデータです" })
        {
            Assert.DoesNotContain(regular, easy, StringComparison.Ordinal);
        }

        // A relabelled button sends what it sent before: 「くわしく」 gives the easy version again.
        var detail = (string)Labelled(reply.Body!["messages"], "くわしく")!["data"]!;
        Assert.Contains("a=detail", detail, StringComparison.Ordinal);
        await host.SendAsync(Postback(detail, host.Now));
        await host.WhenSettledAsync();
        Assert.Contains("ゆうびんで とどきます", host.Fake.Replies.Last().AllText, StringComparison.Ordinal);
        Assert.Empty(host.Fake.SpecErrors);
    }

    [Fact]
    public async Task EasyJapaneseResident_GetsTheMenuInEasyWords_AndEachItemIsAnsweredAsTheRegularOne()
    {
        await using var host = await LineTestHost.StartAsync();

        // What the regular item answers, before the switch.
        await host.SendAsync(LineEvents.Text("スマホ教室", host.Now));
        await host.WhenSettledAsync();
        var regular = host.Fake.Replies.Last().AllText;

        await host.SendAsync(LineEvents.Text("やさしい日本語で", host.Now));
        await host.WhenSettledAsync();
        var switched = host.Fake.Replies.Last();
        foreach (var easy in new[] { "ネットで てつづき", "スマホ きょうしつ", "しやくしょの 人と はなす", "ことば・Language" })
        {
            Assert.Contains(easy, switched.AllText, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("オンライン手続き", switched.AllText, StringComparison.Ordinal);

        // The easy button sends its item: answered as スマホ教室 typed is (the class cards, and the note that they are regular Japanese).
        await host.SendAsync(Postback(ButtonData(switched, "スマホ きょうしつ"), host.Now));
        await host.WhenSettledAsync();
        var pressed = host.Fake.Replies.Last().AllText;
        var firstLine = regular.Split('\n')[0];
        Assert.Contains(firstLine, pressed, StringComparison.Ordinal);
        Assert.Contains("まだ やさしい 日本語に なって いません", pressed, StringComparison.Ordinal);

        // 「メニュー」: the easy greeting and menu; its number typed works as the button does.
        await host.SendAsync(LineEvents.Text("メニュー", host.Now));
        await host.WhenSettledAsync();
        var menu = host.Fake.Replies.Last().AllText;
        Assert.Contains("しおがまし（塩竈市）の LINEです", menu, StringComparison.Ordinal);
        Assert.DoesNotContain("まだ やさしい 日本語に なって いません", menu, StringComparison.Ordinal);
        await host.SendAsync(LineEvents.Text("2", host.Now));
        await host.WhenSettledAsync();
        Assert.Contains(firstLine, host.Fake.Replies.Last().AllText, StringComparison.Ordinal);

        // Not understood: said in easy words with city hall's number, and the easy menu under it.
        await host.SendAsync(LineEvents.Text("ぴよぴよ ぽこぽこ", host.Now));
        await host.WhenSettledAsync();
        var lost = host.Fake.Replies.Last().AllText;
        Assert.Contains("ごめんなさい。わかりませんでした。", lost, StringComparison.Ordinal);
        Assert.Contains("022-364-1111", lost, StringComparison.Ordinal);
        Assert.Contains("ネットで てつづき", lost, StringComparison.Ordinal);
        Assert.DoesNotContain("すみません、うまく分かりませんでした", lost, StringComparison.Ordinal);
        Assert.Empty(host.Fake.SpecErrors);
    }

    [Fact]
    public async Task ChineseQuestion_TheChineseIndexRefuses_IsNotAnsweredByTheJapaneseCatalog()
    {
        // 住宅贷款 (a housing loan) shares 住宅 with the Japanese name of the home renovation subsidy: the Chinese index
        // finds that entry and refuses it (it explains little of the question), and the Japanese search must not bring it back.
        await using var host = await LineTestHost.StartAsync();

        await host.SendAsync(LineEvents.Text("住宅贷款", host.Now));
        await host.WhenSettledAsync();

        var reply = host.Fake.Replies.Last().AllText;
        Assert.Contains("022-355-5284", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("住宅", reply, StringComparison.Ordinal);
        Assert.Empty(host.Fake.SpecErrors);
    }

    [Fact]
    public async Task MenuAndSwitchWords_WithVoicedKana_AreKnown_AsTyped()
    {
        // げんご and にほんご were compared unfolded with a folded message (the voicing mark taken off), so never met.
        await using var host = await LineTestHost.StartAsync();

        await host.SendAsync(LineEvents.Text("げんご", host.Now));
        await host.WhenSettledAsync();
        Assert.Contains("Tagalog", host.Fake.Replies.Last().AllText, StringComparison.Ordinal);

        await host.SendAsync(LineEvents.Text("やさしい日本語で", host.Now));
        await host.WhenSettledAsync();
        await host.SendAsync(LineEvents.Text("にほんご", host.Now));
        await host.WhenSettledAsync();
        Assert.Equal(LanguagePack.Japanese, host.Db(db => db.Set<ResidentLanguage>().Single(r => r.UserKey == host.UserKey).Language));
        Assert.Empty(host.Fake.SpecErrors);
    }

    [Fact]
    public async Task LanguageMenu_OffersEveryLanguage_AndAChoiceSwitches()
    {
        await using var host = await LineTestHost.StartAsync();

        await host.SendAsync(LineEvents.Text("やさしい日本語・Language", host.Now));
        await host.WhenSettledAsync();
        var offer = host.Fake.Replies.Last();
        foreach (var name in new[] { "日本語", "やさしい日本語", "English", "中文", "한국어", "Tiếng Việt", "Português", "Tagalog" })
        {
            Assert.Contains(name, offer.AllText, StringComparison.Ordinal);
        }

        await host.SendAsync(Postback(ButtonData(offer, "Tagalog"), host.Now));
        await host.WhenSettledAsync();
        Assert.Contains("sasagot ako sa Tagalog", host.Fake.Replies.Last().AllText, StringComparison.Ordinal);
        Assert.Equal("tl", host.Db(db => db.Set<ResidentLanguage>().Single(r => r.UserKey == host.UserKey).Language));
        Assert.Empty(host.Fake.SpecErrors);
    }

    [Fact]
    public async Task JapaneseOnlyStep_IsSaidToBeJapanese_InTheResidentsLanguage()
    {
        await using var host = await LineTestHost.StartAsync();
        await host.SendAsync(LineEvents.Text("When is the next smartphone class?", host.Now));
        await host.WhenSettledAsync();
        var classes = host.Fake.Replies.Last();
        Assert.Contains("Register (Japanese)", classes.AllText, StringComparison.Ordinal);
        Assert.False(HasJapanese(classes.AllText), classes.AllText);

        // The registration flow's own steps are in the pack (dialogs:), in English.
        await host.SendAsync(Postback(ButtonData(classes, "Register (Japanese)"), host.Now));
        await host.WhenSettledAsync();
        var flow = host.Fake.Replies.Last();
        Assert.Contains("Will family members or friends come with you?", flow.AllText, StringComparison.Ordinal);
        Assert.False(HasJapanese(flow.AllText), flow.AllText);

        // The class's summary, written by the code, is said from the pack's class texts when the pack has them.
        await host.SendAsync(Postback(ButtonData(flow, "No"), host.Now));
        await host.WhenSettledAsync();
        var summary = host.Fake.Replies.Last().AllText;
        Assert.Contains("Register for this class?", summary, StringComparison.Ordinal);
        Assert.False(HasJapanese(summary), summary);
        Assert.Empty(host.Fake.SpecErrors);
    }

    [Fact]
    public async Task JapaneseOnlyStep_WhenThePackLacksTheClassTexts_IsSaidToBeJapanese_InTheResidentsLanguage()
    {
        var content = ContentWithoutEnglishLine("  class-summary:");
        await using var host = await LineTestHost.StartAsync(new() { ["Content:Path"] = content });
        await host.SendAsync(LineEvents.Text("When is the next smartphone class?", host.Now));
        await host.WhenSettledAsync();
        await host.SendAsync(Postback(ButtonData(host.Fake.Replies.Last(), "Register (Japanese)"), host.Now));
        await host.WhenSettledAsync();

        // Without the pack's class summary the step is not covered whole: said so before it, in English, never mixed in silently.
        await host.SendAsync(Postback(ButtonData(host.Fake.Replies.Last(), "No"), host.Now));
        await host.WhenSettledAsync();
        var summary = host.Fake.Replies.Last().AllText;
        Assert.StartsWith("The following is only available in Japanese:", summary, StringComparison.Ordinal);
        Assert.Contains("この内容で申し込みますか", summary, StringComparison.Ordinal);
        Assert.Empty(host.Fake.SpecErrors);
    }

    [Fact]
    public async Task MissingTranslation_WithoutLlm_SaysSoInTheResidentsLanguage_WithTheHelpNumber()
    {
        var content = ContentWithoutEnglishText("juminhyo");
        await using var host = await LineTestHost.StartAsync(new() { ["Content:Path"] = content });

        await host.SendAsync(LineEvents.Text("certificate of residence please", host.Now));
        await host.WhenSettledAsync();

        var text = host.Fake.Replies.Last().AllText;
        Assert.Contains("not yet available in English", text, StringComparison.Ordinal);
        Assert.Contains("022-355-5284", text, StringComparison.Ordinal);
        Assert.False(HasJapanese(text), text);
    }

    [Fact]
    public async Task MissingTranslation_WithLlm_IsMachineTranslatedOnce_AndLabelled()
    {
        await using var llm = await FakeLlmServer.StartAsync();
        llm.Answer = request => "[EN] " + FakeLlmServer.Messages(request)[^1].Content.Length + " characters translated";
        var content = ContentWithoutEnglishText("juminhyo");
        await using var host = await LineTestHost.StartAsync(new()
        {
            ["Content:Path"] = content,
            ["Ai:Provider"] = "OpenAICompatible",
            ["Ai:Endpoint"] = llm.Endpoint,
            ["Ai:Model"] = "fake-model",
            ["Ai:ApiKey"] = "test-key",
        });

        await host.SendAsync(LineEvents.Text("certificate of residence please", host.Now));
        await host.WhenSettledAsync();
        await host.SendAsync(LineEvents.Text("I need my certificate of residence", host.Now));
        await host.WhenSettledAsync();

        var text = host.Fake.Replies.Last().AllText;
        Assert.Contains("[EN]", text, StringComparison.Ordinal);
        Assert.Contains("Machine translation", text, StringComparison.Ordinal);
        var request = Assert.Single(llm.Requests); // the second answer came from the cache
        var (role, prompt) = FakeLlmServer.Messages(request)[0];
        Assert.Equal("system", role);
        Assert.Contains("English", prompt, StringComparison.Ordinal);
        Assert.Contains("住民票", FakeLlmServer.Messages(request)[^1].Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JapaneseOnlyFlow_WithLlm_HasItsButtonsTranslated_AndSaysSoWhereALabelMustStayJapanese()
    {
        await using var llm = await FakeLlmServer.StartAsync();
        llm.Answer = request => "[EN] " + FakeLlmServer.Messages(request)[^1].Content.Length + " characters";
        await using var host = await LineTestHost.StartAsync(new()
        {
            ["Content:Path"] = ContentWithoutEnglishLine("  class-summary:"), // the class's summary then exists only in Japanese
            ["Ai:Provider"] = "OpenAICompatible",
            ["Ai:Endpoint"] = llm.Endpoint,
            ["Ai:Model"] = "fake-model",
            ["Ai:ApiKey"] = "test-key",
        });
        await host.SendAsync(LineEvents.Text("When is the next smartphone class?", host.Now));
        await host.WhenSettledAsync();
        var classes = host.Fake.Replies.Last();

        // The registration's step written by the code (the class's summary) exists only in Japanese: machine-translated, its buttons too.
        await host.SendAsync(Postback(ButtonData(classes, "Register (Japanese)"), host.Now));
        await host.WhenSettledAsync();
        Assert.DoesNotContain("Machine translation", host.Fake.Replies.Last().AllText, StringComparison.Ordinal); // the pack's own English
        await host.SendAsync(Postback(ButtonData(host.Fake.Replies.Last(), "No"), host.Now));
        await host.WhenSettledAsync();
        var flow = host.Fake.Replies.Last();
        Assert.Contains("Machine translation", flow.AllText, StringComparison.Ordinal);
        var labels = Labels(flow.Body!).ToList();
        Assert.NotEmpty(labels);
        Assert.All(labels.Where(l => l.Data is not null), l => Assert.False(HasJapanese(l.Label), $"a Japanese button label: {l.Label}\n{flow.Body}"));
        Assert.Contains(labels, l => l.Label.StartsWith("[EN]", StringComparison.Ordinal));
        if (labels.Any(l => HasJapanese(l.Label)))
        {
            // A label that is sent as the answer stays Japanese, and the resident is told.
            Assert.Contains("Buttons marked in Japanese", flow.AllText, StringComparison.Ordinal);
        }

        Assert.Empty(host.Fake.SpecErrors);
    }

    private static IEnumerable<(string Label, string? Data)> Labels(JsonNode node) => node switch
    {
        JsonObject o when o["label"] is JsonValue label && o["type"] is JsonValue type && (string?)type is "postback" or "message" or "uri"
            => [(label.GetValue<string>(), (string?)o["data"])],
        JsonObject o => o.SelectMany(kv => kv.Value is null ? [] : Labels(kv.Value)),
        JsonArray a => a.SelectMany(x => x is null ? [] : Labels(x)),
        _ => [],
    };

    [Fact]
    public async Task OfficeReport_ListsProceduresWithoutAnEasyVersion_MostAskedFirst()
    {
        using var content = new ContentWithoutEasyVersions("genchari", "inu-toroku");
        using var app = new BotApplication(new Dictionary<string, string?> { ["Content:Path"] = content.Folder });
        await app.SayAsync(Audience.Resident, "r1", "原付の廃車");
        await app.SayAsync(Audience.Resident, "r2", "原付を登録したい");
        await app.SayAsync(Audience.Resident, "r3", "犬の登録");

        var replies = await app.SayAsync(Audience.Staff, "s1", "やさしい日本語がない手続き");

        var table = Assert.IsType<TableReply>(Assert.Single(replies));
        Assert.Equal("原動機付自転車（原付）の登録・廃車", table.Rows[0][0]);
        Assert.Equal("2", table.Rows[0][1]);
        Assert.Equal("犬の登録", table.Rows[1][0]);
        Assert.DoesNotContain(table.Rows, r => r[0] == "住民票の写しの請求"); // it has an easy version and every translation

        // Residents never reach it.
        Assert.DoesNotContain(await app.SayAsync(Audience.Resident, "r4", "やさしい日本語がない手続き"), r => r is TableReply);
    }

    [Fact]
    public async Task OfficeReport_ReachesTheStaffChat_AsATableCard_WithTheProceduresLackingAnEasyVersion()
    {
        using var content = new ContentWithoutEasyVersions("genchari");
        await using var staff = await Staff.StaffHarness.StartAsync(new Dictionary<string, string?> { ["Content:Path"] = content.Folder });

        await staff.PostAsync(staff.Message("やさしい日本語がない手続き"));
        var sent = await staff.Connector.NextAsync();

        // The table is an Adaptive Card; its text (fallback included) names the procedure and says it has no easy version.
        var card = sent.Activity.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        Assert.Contains("application/vnd.microsoft.card.adaptive", card, StringComparison.Ordinal);
        Assert.Contains("原動機付自転車（原付）の登録・廃車", card, StringComparison.Ordinal);
        Assert.DoesNotContain("住民票の写しの請求", card, StringComparison.Ordinal);
    }

    /// <summary>
    /// A copy of the bundled content whose やさしい日本語 pack lacks the easy version (name and text) of some procedures, as
    /// a city's pack does before the office has written them all (the bundled sample has one for every procedure).
    /// </summary>
    internal sealed class ContentWithoutEasyVersions : IDisposable
    {
        public ContentWithoutEasyVersions(params string[] ids)
        {
            var from = Path.Combine(AppContext.BaseDirectory, "Content");
            foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            {
                var to = Path.Combine(Folder, Path.GetRelativePath(from, file));
                Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                File.Copy(file, to);
            }

            var easy = Path.Combine(Folder, LanguageCatalog.Folder, "easy.yaml");
            var lines = File.ReadAllLines(easy).ToList();
            foreach (var id in ids)
            {
                var at = lines.IndexOf($"  {id}:");
                Assert.True(at > 0, $"{id} is not in easy.yaml");
                for (var i = at + 1; i < lines.Count && lines[i].StartsWith("    ", StringComparison.Ordinal);)
                {
                    if (lines[i].StartsWith("    name:", StringComparison.Ordinal) || lines[i].StartsWith("    text:", StringComparison.Ordinal))
                    {
                        lines.RemoveAt(i);
                    }
                    else
                    {
                        i++;
                    }
                }
            }

            File.WriteAllLines(easy, lines);
        }

        public string Folder { get; } = Path.Combine(Path.GetTempPath(), "shiogama-dx-tests", "content-" + Guid.NewGuid().ToString("N"));

        public void Dispose() => Directory.Delete(Folder, recursive: true);
    }

    /// <summary>Hiragana, katakana or kanji: what an answer in a foreign language must not fall back to silently.</summary>
    internal static bool HasJapanese(string text) => text.Any(c => c is >= '\u3041' and <= '\u30FF' or >= '\u4E00' and <= '\u9FFF');

    internal static bool HasKana(string text) => text.Any(c => c is >= '\u3041' and <= '\u30FF');

    internal static string ButtonData(LineCall call, string label) =>
        Find(call.Body!, label) ?? throw new Xunit.Sdk.XunitException($"no button '{label}' in\n{call.Body}");

    private static string? Find(JsonNode node, string label) => node switch
    {
        JsonObject o when (string?)o["label"] == label && o["data"] is JsonValue d => d.GetValue<string>(),
        JsonObject o => o.Select(kv => kv.Value is null ? null : Find(kv.Value, label)).FirstOrDefault(x => x is not null),
        JsonArray a => a.Select(x => x is null ? null : Find(x, label)).FirstOrDefault(x => x is not null),
        _ => null,
    };

    /// <summary>The first action (a button or a quick reply's) with this label, anywhere in LINE messages.</summary>
    private static JsonObject? Labelled(JsonNode? node, string label) => node switch
    {
        JsonObject o when (string?)o["label"] == label && o.ContainsKey("data") => o,
        JsonObject o => o.Select(kv => Labelled(kv.Value, label)).FirstOrDefault(f => f is not null),
        JsonArray a => a.Select(n => Labelled(n, label)).FirstOrDefault(f => f is not null),
        _ => null,
    };

    internal static JsonObject Postback(string data, DateTimeOffset time)
    {
        var e = LineEvents.Base("postback", time);
        e["postback"] = new JsonObject { ["data"] = data };
        return e;
    }

    /// <summary>A copy of the bundled content whose English pack lacks the line starting with <paramref name="start"/>.</summary>
    private static string ContentWithoutEnglishLine(string start)
    {
        var folder = Path.Combine(Path.GetTempPath(), "shiogama-dx-tests", "content-" + Guid.NewGuid().ToString("N"));
        CopyFolder(Path.Combine(AppContext.BaseDirectory, "Content"), folder);
        var file = Path.Combine(folder, LanguageCatalog.Folder, "en.yaml");
        var lines = File.ReadAllLines(file).ToList();
        Assert.Equal(1, lines.RemoveAll(l => l.StartsWith(start, StringComparison.Ordinal)));
        File.WriteAllLines(file, lines);
        return folder;
    }

    /// <summary>A copy of the bundled content whose English pack lacks one procedure's text.</summary>
    private static string ContentWithoutEnglishText(string id)
    {
        var folder = Path.Combine(Path.GetTempPath(), "shiogama-dx-tests", "content-" + Guid.NewGuid().ToString("N"));
        CopyFolder(Path.Combine(AppContext.BaseDirectory, "Content"), folder);
        var file = Path.Combine(folder, LanguageCatalog.Folder, "en.yaml");
        var lines = File.ReadAllLines(file).ToList();
        var at = lines.FindIndex(l => l == $"  {id}:");
        Assert.True(at >= 0 && lines[at + 2].TrimStart().StartsWith("text:", StringComparison.Ordinal));
        lines.RemoveAt(at + 2);
        File.WriteAllLines(file, lines);
        return folder;
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
