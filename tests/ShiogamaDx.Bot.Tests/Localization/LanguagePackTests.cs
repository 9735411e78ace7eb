using ShiogamaDx.Bot.Localization;
using ShiogamaDx.Bot.Tests.Conversations;

namespace ShiogamaDx.Bot.Tests.Localization;

public sealed class LanguagePackTests
{
    private static string Languages => Path.Combine(RepoPaths.Root, "src", "ShiogamaDx.Bot", "Content", LanguageCatalog.Folder);

    /// <summary>The CI run of the content check for languages: packs load, name catalog procedures, easy texts pass the linter.</summary>
    [Fact]
    public void BundledPacks_LoadNameCatalogProcedures_AndEasyVersionsPassTheLinter()
    {
        var problems = LanguageCheck.Problems(Languages, Path.Combine(RepoPaths.Root, "src", "ShiogamaDx.Bot", "Content", "procedures.yaml"), Path.Combine(RepoPaths.Root, "dialogs"));
        Assert.True(problems.Count == 0, string.Join("\n", problems.Select(p => p.Message)));
        var packs = LanguageCatalog.LoadFolder(Languages, out _);
        Assert.Equal(["easy", "en", "ko", "pt", "tl", "vi", "zh"], packs.Keys.Order(StringComparer.Ordinal));
        Assert.All(packs.Values, p => Assert.True(p.Sample, $"{p.Code}: the bundled translations are samples"));
        Assert.True(packs["easy"].Procedures.Count >= 30);

        // The residents' sample dialogs are translated in every foreign language.
        Assert.All(LanguagePack.Foreign, code => Assert.Equal(["class-registration", "class-survey", "resident-feedback"], packs[code].Dialogs.Keys.Order(StringComparer.Ordinal)));
    }

    [Fact]
    public void InterruptionWords_AreReadByWhatTheyDo_AndAnUnknownKindIsRefusedWithItsLine()
    {
        var yaml = File.ReadAllText(Path.Combine(Languages, "vi.yaml"));
        var pack = LanguagePack.Parse(yaml, "vi.yaml");
        Assert.Contains("hủy", pack.Interruptions["cancel"]);
        Assert.Equal(["cancel", "help", "restart"], pack.Interruptions.Keys.Order(StringComparer.Ordinal));

        var bad = Assert.Throws<ContentProblemsException>(() => LanguagePack.Parse(yaml.Replace("  restart:", "  again:", StringComparison.Ordinal), "vi.yaml"));
        Assert.Contains("vi.yaml", bad.Message, StringComparison.Ordinal);
        Assert.Contains("interruptions: unknown key 'again' (known: cancel, restart, help)", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SwitchInterruptionAndTriggerWords_AreHeldAsCompared_WhenThePackIsRead()
    {
        var packs = LanguageCatalog.LoadFolder(Languages, out _);
        foreach (var pack in packs.Values)
        {
            // A turn compares its own key with these; no pack word is normalised per turn any more.
            Assert.Equal(pack.Switch.Select(LanguagePack.Key).ToHashSet(StringComparer.Ordinal), pack.SwitchKeys);
            Assert.Equal(pack.Dialogs.Values.Sum(d => d.Triggers.Count), pack.Triggers.Count);
        }

        Assert.Equal("cancel", packs["vi"].InterruptionKeys[LanguagePack.Key("Hủy")]);
        Assert.Equal(LanguagePack.Key("tieng viet"), LanguagePack.Key("Tiếng  Việt!"));
    }

    [Fact]
    public void TranslatedDialog_NamingAStepTheDialogLacks_OrOtherChoices_OrAPlaceholderItDoesNotFill_IsRefusedWithItsLine()
    {
        var folder = Path.Combine(Path.GetTempPath(), "shiogama-dx-tests", "languages-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var yaml = File.ReadAllText(Path.Combine(Languages, "en.yaml"))
            .Replace("      body:\n", "      bodyy:\n", StringComparison.Ordinal)
            .Replace("\"Smartphone classes\", \"Other\"]", "\"Other\"]", StringComparison.Ordinal)
            .Replace("feedback about \\\"{topic}\\\"", "feedback about \\\"{subject}\\\"", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(folder, "en.yaml"), yaml);

        var problems = LanguageCheck.Problems(folder, null, Path.Combine(RepoPaths.Root, "dialogs"));

        Assert.Contains(problems, p => p.Reason.Contains("'bodyy' is not a step of resident-feedback.yaml", StringComparison.Ordinal) && p.Line > 1);
        Assert.Contains(problems, p => p.Reason.Contains("'topic': 3 choices, the dialog has 4", StringComparison.Ordinal) && p.Line > 1);
        Assert.Contains(problems, p => p.Reason.Contains("{subject} is not in the dialog's text", StringComparison.Ordinal));
        Assert.Equal(3, problems.Count);
    }

    [Fact]
    public void EasyDialog_WithAKanjiOutsideTheEverydayList_IsRefusedByTheLinter_WithItsStep()
    {
        var folder = Path.Combine(Path.GetTempPath(), "shiogama-dx-tests", "languages-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var yaml = File.ReadAllText(Path.Combine(Languages, "easy.yaml"))
            .Replace("prompt: \"なにに ついての ごいけん ですか。\"", "prompt: \"何に関するご意見ですか。\"", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(folder, "easy.yaml"), yaml);

        var problems = LanguageCheck.Problems(folder, null, Path.Combine(RepoPaths.Root, "dialogs"));

        Assert.Contains(problems, p => p.Reason.StartsWith("dialogs: 'resident-feedback': 'topic': 「関」", StringComparison.Ordinal) && p.Line > 1);
        Assert.DoesNotContain(LanguageCheck.Problems(Languages, null, Path.Combine(RepoPaths.Root, "dialogs")), p => p.File.EndsWith("easy.yaml", StringComparison.Ordinal));
    }

    [Fact]
    public void EasyMenu_NamingAnItemMenusYamlLacks_OrALongLabel_OrAHardKanji_IsRefusedWithItsLine()
    {
        var folder = Path.Combine(Path.GetTempPath(), "shiogama-dx-tests", "languages-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var yaml = File.ReadAllText(Path.Combine(Languages, "easy.yaml"))
            .Replace("    ご意見: いけんを おくる\n", "    ご感想: いけんを おくる\n", StringComparison.Ordinal)
            .Replace("    スマホ教室: スマホ きょうしつ\n", "    スマホ教室: スマホの つかいかたを おしえる きょうしつ\n", StringComparison.Ordinal)
            .Replace("    お問い合わせ: れんらくさき\n", "    お問い合わせ: 連絡先\n", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(folder, "easy.yaml"), yaml);

        var problems = LanguageCheck.Problems(folder, null, Path.Combine(RepoPaths.Root, "dialogs"));
        var reasons = string.Join("\n", problems.Select(p => p.Message));

        Assert.Contains(problems, p => p.Reason.Contains("'ご感想' is not an item of the resident menu in menus.yaml", StringComparison.Ordinal) && p.Line > 1);
        Assert.Contains(problems, p => p.Reason.Contains("is a button label: at most 20 characters", StringComparison.Ordinal) && p.Line > 1);
        Assert.Contains(problems, p => p.Reason.StartsWith("menu: items: お問い合わせ: 「連絡先」", StringComparison.Ordinal) && p.Line > 1);
        Assert.True(problems.Count == 3, reasons);

        // A foreign pack has no such menu: its menu is its menu-… texts.
        var foreign = File.ReadAllText(Path.Combine(Languages, "en.yaml")) + "menu:\n  prompt: \"Choose\"\n";
        Assert.Contains(Assert.Throws<ContentProblemsException>(() => LanguagePack.Parse(foreign, "en.yaml")).Problems, p => p.Reason.StartsWith("menu: only the やさしい日本語 pack", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("じゅうみんひょう（住民票）を もらえます。", 0)]
    [InlineData("住民票（じゅうみんひょう）を もらえます。", 0)]
    [InlineData("届け（とどけ）を 出します。", 0)]
    [InlineData("住民票を もらえます。", 1)]
    [InlineData("市の 本を 読みます。", 0)] // every kanji is of the first two school years
    [InlineData("あかちゃんが うまれた ときは、うまれた 日を ふくめて 十四日の うちに、まどぐちで とどけを だして ください。", 1)]
    public void Linter_CountsLongSentencesAndHardKanjiWithoutReading(string text, int problems) =>
        Assert.Equal(problems, EasyJapaneseLinter.Check(text).Count);

    [Fact]
    public void Pack_WithAPlaceholderTheHostDoesNotFill_OrAMissingText_IsRefusedWithItsLine()
    {
        var yaml = File.ReadAllText(Path.Combine(Languages, "en.yaml"))
            .Replace("{phone}", "{telephone}", StringComparison.Ordinal)
            .Replace("  this-one: \"This one\"\n", string.Empty, StringComparison.Ordinal);
        var ex = Assert.Throws<ContentProblemsException>(() => LanguagePack.Parse(yaml, "en.yaml"));
        Assert.Contains(ex.Problems, p => p.Reason.Contains("{telephone} is not filled by the host", StringComparison.Ordinal) && p.Line > 1);
        Assert.Contains(ex.Problems, p => p.Reason.Contains("'this-one' is missing", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("How do I apply for the child allowance?", "en")]
    [InlineData("我想开一份住民票", "zh")]
    [InlineData("주민표를 발급받고 싶어요", "ko")]
    [InlineData("Tôi muốn đăng ký kết hôn", "vi")]
    [InlineData("Quero colocar meu filho na creche", "pt")]
    [InlineData("Paano po kumuha ng sertipiko?", "tl")]
    [InlineData("搬走之前要停水", "zh")] // Han only, with words Japanese writes otherwise (之前, 要 … 前に)
    [InlineData("我想办住民票", "zh")]
    [InlineData("盐灶市役所", "zh")] // Han only, with characters Shift_JIS does not hold (盐, 灶): simplified forms
    [InlineData("手续费", "zh")]
    [InlineData("明天搬家", "zh")] // Han only, every character one Shift_JIS holds: everyday words Japanese writes otherwise
    [InlineData("孩子疫苗", "zh")]
    [InlineData("予防接種", null)]
    [InlineData("看病休暇", null)]
    [InlineData("塩竈市役所", null)] // the same in Japanese: every character one a Japanese keyboard types
    [InlineData("鹽竈神社", null)]
    [InlineData("髙橋", null)] // a vendor's addition to Shift_JIS, in Japanese names
    [InlineData("住民票をとりたい", "ja")]
    [InlineData("要介護認定申請", null)] // Japanese in kanji alone is not taken for Chinese
    [InlineData("国民健康保険 加入", null)]
    [InlineData("死亡届", null)]
    [InlineData("住民票", null)]
    [InlineData("OK", null)]
    [InlineData("3", null)]
    public void Detector_TellsTheLanguageOfAMessage_OrSaysItCannot(string text, string? expected) =>
        Assert.Equal(expected, LanguageDetector.Detect(text));

    [Theory]
    [InlineData("やめる", false)]
    [InlineData("キャンセル", false)]
    [InlineData("じゅうみんひょう", false)]
    [InlineData("ごみの日", false)]
    [InlineData("住民票", false)]
    [InlineData("住民票がほしい", true)]
    [InlineData("ごみの日はいつ", true)]
    [InlineData("じゅうみんひょうがほしいです", true)]
    [InlineData("How do I get it?", false)]
    public void JapaneseSentence_IsToldFromOneWordOfJapanese(string text, bool sentence) =>
        Assert.Equal(sentence, LanguageDetector.IsJapaneseSentence(text));
}
