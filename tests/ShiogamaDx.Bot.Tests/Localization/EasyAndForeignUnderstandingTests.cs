using ShiogamaDx.Bot.Localization;
using ShiogamaDx.Bot.Procedures;
using ShiogamaDx.Bot.Tests.Conversations;
using ShiogamaDx.Bot.Tests.Line;

namespace ShiogamaDx.Bot.Tests.Localization;

/// <summary>How questions in easy Japanese and in Latin-script languages reach the catalog (issue #24).</summary>
public sealed class EasyAndForeignUnderstandingTests
{
    private static string Content => Path.Combine(RepoPaths.Root, "src", "ShiogamaDx.Bot", "Content");

    [Theory]
    [InlineData("magpapabakuna", "bakuna")]
    [InlineData("pagbabakuna", "bakuna")]
    [InlineData("iparehistro", "rehistro")]
    [InlineData("magparehistro", "rehistro")]
    [InlineData("kumuha", "kuha")]
    [InlineData("namatay", "matay")]
    [InlineData("nagkaanak", "anak")] // nagka-, magka-, pagka-: came to have (a child, an illness)
    [InlineData("pagkamatay", "matay")]
    [InlineData("nanganak", "panganak")] // nang-, mang-, pang- before a vowel: one prefix, kept (birth, not anak: a child)
    [InlineData("manganganak", "panganak")]
    [InlineData("ipinanganak", "panganak")]
    [InlineData("kapanganakan", "panganak")] // ka-…-an
    [InlineData("kalusugan", "lusug")]
    [InlineData("kakalipat", "lipat")] // kaka-: just done (kakalipat, kakakain)
    [InlineData("basura", null)]
    [InlineData("tubig", null)]
    public void TagalogRoot_TakesOffAffixes_OnlyWhereThereAreSome(string word, string? root) =>
        Assert.Equal(root, ForeignIndex.TagalogRoot(word));

    [Theory]
    [InlineData("mudar", "mud")]
    [InlineData("mudanca", "mud")]
    [InlineData("mudei", "mud")]
    [InlineData("vacinacao", "vacin")]
    [InlineData("deixar", "deix")]
    [InlineData("muda", "mud")] // the present tense (ele muda) meets the infinitive and the noun
    [InlineData("creche", "crech")] // a closing vowel, on both sides alike
    [InlineData("ir", "ir")] // too short to lose anything
    [InlineData("vazamento", "vaz")] // a noun with the verb's vowel meets the verb (vazando, vazar)
    [InlineData("vazando", "vaz")]
    [InlineData("casamento", "cas")]
    public void PortugueseStem_TakesOffVerbAndNounEndings(string word, string stem) =>
        Assert.Equal(stem, ForeignIndex.PortugueseStem(word));

    [Theory]
    [InlineData("moving", "move")]
    [InlineData("moved", "move")]
    [InlineData("moves", "move")]
    [InlineData("registering", "registration")]
    [InlineData("applied", "apply")] // -ied: the hand-written stemmer kept them apart (appli, apply)
    [InlineData("children", "child")] // not made with s: StemOf's own list
    public void EnglishTerms_TheFormsOfOneWordMeet(string word, string same) =>
        Assert.Equal(ForeignIndex.Terms(same, "en"), ForeignIndex.Terms(word, "en"));

    [Fact]
    public void PortugueseQuestion_WithAVerbForm_MeetsTheNounOfTheTranslation()
    {
        Assert.Equal(ForeignIndex.Terms("mudança", "pt"), ForeignIndex.Terms("mudar", "pt"));
        Assert.NotEqual(ForeignIndex.Terms("mudança", "en"), ForeignIndex.Terms("mudar", "en")); // Portuguese only
    }

    [Fact]
    public void FunctionWords_OfThePack_AreNotTerms_SoTheContentWordsDecide()
    {
        Assert.Equal(["basura"], ForeignIndex.Terms("Paano po ang basura?", "tl", Pack("tl").FunctionWords));
        Assert.Equal(["crech"], ForeignIndex.Terms("Como é a creche?", "pt", Pack("pt").FunctionWords));
        Assert.Equal(["daycar"], ForeignIndex.Terms("How do I get daycare?", "en", Pack("en").FunctionWords));

        // The office extends the list in the pack: a word added there is no longer a term.
        var yaml = File.ReadAllText(Path.Combine(Content, LanguageCatalog.Folder, "en.yaml")).Replace("function-words: [the,", "function-words: [kindly, the,", StringComparison.Ordinal);
        var extended = LanguagePack.Parse(yaml, "en.yaml");
        Assert.Equal(["kind", "daycar"], ForeignIndex.Terms("Kindly daycare", "en", Pack("en").FunctionWords));
        Assert.Equal(["daycar"], ForeignIndex.Terms("Kindly daycare", "en", extended.FunctionWords));
    }

    [Fact]
    public void CitysName_IsNoTermAlone_ButTheWordBeforeItIs_SoAMoveIntoTheCityIsToldFromOneOutOfIt()
    {
        Assert.Equal(["mud", "@para"], ForeignIndex.Terms("mudar para Shiogama", "pt", Pack("pt").FunctionWords));
        Assert.Empty(ForeignIndex.Terms("Shiogama", "pt", Pack("pt").FunctionWords));
        Assert.DoesNotContain("@den", ForeignIndex.Terms("chuyển đến Shiogama", "vi")); // Vietnamese pairs its words already

        var packs = LanguageCatalog.LoadFolder(Path.Combine(Content, LanguageCatalog.Folder), out _);
        var catalog = ProcedureFile.Load(Path.Combine(Content, "procedures.yaml")).Procedures;
        Assert.Equal("tennyu", new ForeignIndex(packs["pt"], catalog).Search("Vou mudar para Shiogama")[0].Id);
        Assert.Equal("tennyu", new ForeignIndex(packs["en"], catalog).Search("I am moving to Shiogama")[0].Id);
    }

    [Theory]
    [InlineData("pt", "Como trocar a carteira de motorista do Brasil pela japonesa?")] // trocar: a word of changing a water contract's holder
    [InlineData("vi", "Muốn đổi bằng lái xe sang bằng lái Nhật")]
    [InlineData("vi", "Mua sim điện thoại ở đâu rẻ")] // điện thoại: a word of the smartphone classes
    [InlineData("ko", "근처 맛있는 식당 있어요?")]
    [InlineData("zh", "外国驾照可以换日本驾照吗")]
    [InlineData("tl", "May kainan bang masarap malapit sa istasyon?")]
    public void AQuestionMostlyAboutWhatNoEntryExplains_FindsNoEntry_ThoughItSharesAWordWithOne(string language, string question)
    {
        var packs = LanguageCatalog.LoadFolder(Path.Combine(Content, LanguageCatalog.Folder), out _);
        var catalog = ProcedureFile.Load(Path.Combine(Content, "procedures.yaml")).Procedures;
        Assert.Empty(new ForeignIndex(packs[language], catalog).Search(question));
    }

    [Theory]
    [InlineData("en", "How can I renew my fishing license?", "fishing")] // renew: a word of the My Number card's renewal
    [InlineData("en", "I lost my umbrella on the train", "umbrella")] // lost: a word of the lost insurance card
    [InlineData("pt", "Perdi a minha carteira no ônibus", "carteira")]
    [InlineData("tl", "Paano mag-renew ng work visa?", "work")] // of "work visa" the rarer
    public void WhatAQuestionIsAbout_IsTheRarestWordAfterTheAboutWords(string language, string question, string word)
    {
        var packs = LanguageCatalog.LoadFolder(Path.Combine(Content, LanguageCatalog.Folder), out _);
        var catalog = ProcedureFile.Load(Path.Combine(Content, "procedures.yaml")).Procedures;
        var heads = new ForeignIndex(packs[language], catalog).AboutHeads(question, toned: false);
        Assert.Contains(heads, h => h.Contains(ForeignIndex.Terms(word, language).Single()));
    }

    [Theory]
    [InlineData("en", "How can I renew my fishing license?")]
    [InlineData("en", "I lost my umbrella on the train")]
    [InlineData("pt", "Perdi a minha carteira no ônibus")]
    [InlineData("tl", "Paano mag-renew ng work visa?")]
    [InlineData("tl", "Nawala ang wallet ko sa tren")]
    public void AnEntryThatExplainsNothingTheQuestionIsAbout_IsNotOffered_ThoughItSharesAGenericWord(string language, string question)
    {
        var packs = LanguageCatalog.LoadFolder(Path.Combine(Content, LanguageCatalog.Folder), out _);
        var catalog = ProcedureFile.Load(Path.Combine(Content, "procedures.yaml")).Procedures;
        var index = new ForeignIndex(packs[language], catalog);

        // Without the about-reading an entry is offered on the generic word (renew, lost); with it, none is.
        Assert.NotEmpty(index.Find(question, 3, ForeignIndex.Refusal.Default with { AboutName = 0 }).Hits);
        Assert.Empty(index.Search(question));
    }

    [Theory]
    [InlineData("ko", "여권을 갱신하고 싶어요")] // 갱신 (renew): a word of the My Number card's renewal; 여권 (passport) is what it is about
    public void AKoreanQuestion_IsAboutTheWordCarryingItsParticle(string language, string question)
    {
        var packs = LanguageCatalog.LoadFolder(Path.Combine(Content, LanguageCatalog.Folder), out _);
        var catalog = ProcedureFile.Load(Path.Combine(Content, "procedures.yaml")).Procedures;
        Assert.NotEmpty(new ForeignIndex(packs[language] with { AboutParticles = [] }, catalog).Search(question));
        Assert.Empty(new ForeignIndex(packs[language], catalog).Search(question));
    }

    [Theory]
    [InlineData("zh", "护照怎么更新？")] // 更新 (renew): a word of the My Number card's renewal; 护照 (passport) is the topic
    [InlineData("zh", "我的护照在哪里更新")] // 我的 opens the topic
    public void AChineseQuestion_IsAboutWhatStandsBeforeItsQuestionWord(string language, string question)
    {
        var packs = LanguageCatalog.LoadFolder(Path.Combine(Content, LanguageCatalog.Folder), out _);
        var catalog = ProcedureFile.Load(Path.Combine(Content, "procedures.yaml")).Procedures;
        Assert.NotEmpty(new ForeignIndex(packs[language] with { AboutBefore = [] }, catalog).Search(question));
        Assert.Empty(new ForeignIndex(packs[language], catalog).Search(question));
    }

    [Theory]
    [InlineData("en", "How do I renew my My Number card?", "mynumber-koushin")]
    [InlineData("en", "I lost my health insurance card", "shikaku-kakuninsho")]
    [InlineData("pt", "Quero renovar o meu cartão My Number", "mynumber-koushin")]
    [InlineData("tl", "Paano magparehistro ng aso ko?", "inu-toroku")]
    [InlineData("pt", "Preciso da certidão de óbito do meu pai", "shibou")]
    [InlineData("ko", "오래된 침대를 버리고 싶어요", "sodai-gomi")]
    [InlineData("zh", "旧书架怎么扔？", "sodai-gomi")]
    [InlineData("en", "I want to get rid of my old desk", "sodai-gomi")] // the bulky items of the Japanese catalog's words, translated
    public void AnEntryThatExplainsWhatTheQuestionIsAbout_IsStillOffered(string language, string question, string id)
    {
        var packs = LanguageCatalog.LoadFolder(Path.Combine(Content, LanguageCatalog.Folder), out _);
        var catalog = ProcedureFile.Load(Path.Combine(Content, "procedures.yaml")).Procedures;
        Assert.Equal(id, new ForeignIndex(packs[language], catalog).Search(question)[0].Id);
    }

    [Theory]
    [InlineData("en", "I want to set up automatic payment of city tax from my bank account", "koza-furikae")]
    [InlineData("pt", "Quero renovar o cartão My Number", "mynumber-koushin")]
    [InlineData("ko", "시민세를 은행 계좌에서 자동이체하고 싶어요", "koza-furikae")]
    public void AQuestionAboutAnEntry_StillFindsIt_ThoughItHasWordsNoEntryUses(string language, string question, string id)
    {
        var packs = LanguageCatalog.LoadFolder(Path.Combine(Content, LanguageCatalog.Folder), out _);
        var catalog = ProcedureFile.Load(Path.Combine(Content, "procedures.yaml")).Procedures;
        Assert.Equal(id, new ForeignIndex(packs[language], catalog).Search(question)[0].Id);
    }

    [Theory]
    [InlineData("pt", "Vou me mudar para São Paulo em abril", "Vou me mudar para outra cidade em abril")]
    [InlineData("pt", "Vamos voltar para o Peru", "Vamos voltar para outra cidade")]
    [InlineData("tl", "Babalik na kami sa Vietnam", "Babalik na kami sa ibang lungsod")]
    [InlineData("en", "We move back to Canada in May", "We move back to another city in May")]
    [InlineData("pt", "Vou mudar para Shiogama", "Vou mudar para Shiogama")] // the city itself: moving in
    [InlineData("pt", "Preciso ir para a Prefeitura", "Preciso ir para a Prefeitura")] // a word of the catalog, no place
    [InlineData("tl", "Saan ako pupunta sa City Hall?", "Saan ako pupunta sa City Hall?")]
    [InlineData("en", "Send it to me", "Send it to me")] // no capital, no place
    [InlineData("vi", "Tôi chuyển về Hà Nội", "Tôi chuyển đi nơi khác")] // the way too: chuyển đến is moving in
    [InlineData("vi", "Gia đình tôi chuyển sang Thành phố Hồ Chí Minh", "Gia đình tôi chuyển đi nơi khác")] // syllables each a catalog word, their pairs none
    [InlineData("vi", "Tôi chuyển đến Thành phố Shiogama", "Tôi chuyển đến Thành phố Shiogama")] // the city itself
    [InlineData("pt", "Vamos nos mudar para nagoia", "Vamos nos mudar para outra cidade")] // lower case, in a question of moving
    [InlineData("en", "We are moving back to the philippines soon", "We are moving back to another city soon")]
    [InlineData("en", "I want to enrol my son in daycare", "I want to enrol my son in daycare")] // lower case, no moving: no place
    [InlineData("tl", "Lilipat kami sa Cebu", "Lilipat kami sa ibang lungsod")]
    [InlineData("tl", "Ikakasal kami sa Mayo", "Ikakasal kami sa Mayo")] // sa: also in, at, on; a wedding in May
    [InlineData("tl", "Ipinanganak ang anak ko sa Sendai", "Ipinanganak ang anak ko sa Sendai")] // born in Sendai
    public void APlaceGoneTowards_ThatIsNotTheCity_IsReadAsAnotherCity(string language, string question, string read)
    {
        var packs = LanguageCatalog.LoadFolder(Path.Combine(Content, LanguageCatalog.Folder), out _);
        var catalog = ProcedureFile.Load(Path.Combine(Content, "procedures.yaml")).Procedures;
        Assert.Equal(read, new ForeignIndex(packs[language], catalog).ReadElsewhere(question));
    }

    [Theory]
    [InlineData("pt", "Vou me mudar para São Paulo em abril")]
    [InlineData("pt", "Vamos voltar para o Peru")]
    [InlineData("tl", "Babalik na kami sa Vietnam")]
    [InlineData("en", "We move back to Canada in May")]
    [InlineData("en", "We are moving to nagoya")] // moving (not move) meets the catalog's move: -ing, -ed, -e taken off
    [InlineData("vi", "Chúng tôi chuyển đến Nagoya")]
    [InlineData("pt", "Vou me mudar pra sapporo")]
    public void MovingTowardsAPlaceThatIsNotTheCity_IsMovingOut(string language, string question)
    {
        var packs = LanguageCatalog.LoadFolder(Path.Combine(Content, LanguageCatalog.Folder), out _);
        var catalog = ProcedureFile.Load(Path.Combine(Content, "procedures.yaml")).Procedures;
        Assert.Equal("tenshutsu", new ForeignIndex(packs[language], catalog).Search(question) is [var first, ..] ? first.Id : null);
    }

    [Fact]
    public void NameOrKeyword_FoundWholeInTheQuestion_LiftsItsEntry_OverTheSameWordsSpreadElsewhere()
    {
        var packs = LanguageCatalog.LoadFolder(Path.Combine(Content, LanguageCatalog.Folder), out _);
        var catalog = ProcedureFile.Load(Path.Combine(Content, "procedures.yaml")).Procedures;

        // "smartphone class" is the name of the class application procedure and a keyword of the class schedule: both
        // are lifted alike, so the schedule stays close enough for the class feature to answer (LanguageDiversion).
        var classes = new ForeignIndex(packs["en"], catalog).Search("When is the next smartphone class?");
        Assert.Equal([ForeignIndex.ClassesId, "sumaho-kyoshitsu"], classes.Take(2).Select(h => h.Id).Order(StringComparer.Ordinal));

        // "sair da cidade", a keyword of moving out, whole in the question, its words in order.
        Assert.Equal("tenshutsu", new ForeignIndex(packs["pt"], catalog).Search("Vamos sair da cidade em março")[0].Id);
    }

    [Fact]
    public void VietnameseTypedWithTones_IsReadWithThem_AndWithoutTones_Folded()
    {
        Assert.Equal(["bàn", "ghế", "bàn_ghế"], ForeignIndex.Terms("bàn ghế", "vi", toned: true));
        Assert.Equal(["ban", "ghe", "ban_ghe"], ForeignIndex.Terms("bàn ghế", "vi"));
        Assert.True(ForeignIndex.HasTones("cái bàn"));
        Assert.False(ForeignIndex.HasTones("cai ban"));

        // bàn (a table) is not bản (a copy, of the residence certificate's name) when typed with its tone; typed
        // without tones, the residence certificate is still found by its folded words.
        var packs = LanguageCatalog.LoadFolder(Path.Combine(Content, LanguageCatalog.Folder), out _);
        var catalog = ProcedureFile.Load(Path.Combine(Content, "procedures.yaml")).Procedures;
        var index = new ForeignIndex(packs["vi"], catalog);
        Assert.DoesNotContain(index.Search("cái bàn này", 6), h => h.Id == "juminhyo");
        Assert.Equal("juminhyo", index.Search("ban sao phieu cu tru")[0].Id);
        Assert.Equal("juminhyo", index.Search("bản sao phiếu cư trú")[0].Id);
    }

    [Fact]
    public void TagalogRoot_OfTheQuestion_MeetsAFieldsWordWrittenWithoutAffixes()
    {
        Assert.Contains("r:bakuna", ForeignIndex.Terms("Bakuna ng bata", "tl", field: true));
        Assert.DoesNotContain("r:bakuna", ForeignIndex.Terms("bakuna", "tl")); // a question's plain word counts once
        Assert.DoesNotContain("r:bakuna", ForeignIndex.Terms("bakuna", "en", field: true));

        var packs = LanguageCatalog.LoadFolder(Path.Combine(Content, LanguageCatalog.Folder), out _);
        var catalog = ProcedureFile.Load(Path.Combine(Content, "procedures.yaml")).Procedures;
        Assert.Equal("kodomo-yobosesshu", new ForeignIndex(packs["tl"], catalog).Search("Kailan pwedeng magpabakuna ang bata?")[0].Id);
    }

    [Theory]
    [InlineData("pt", "Dúvida sobre creche")]
    [InlineData("tl", "Tanong tungkol sa daycare")]
    public void WordSharedByNeighbours_ThatIsAnEntrysWholeKeyword_StillNamesThatEntry(string language, string question)
    {
        // creche / daycare stand in five entries (the daycare, its annual report, leaving it, the income certificate,
        // sick-child care): too common to pass the floor alone, yet the daycare's own keyword, held whole.
        var packs = LanguageCatalog.LoadFolder(Path.Combine(Content, LanguageCatalog.Folder), out _);
        var catalog = ProcedureFile.Load(Path.Combine(Content, "procedures.yaml")).Procedures;
        var hits = new ForeignIndex(packs[language], catalog).Search(question);
        Assert.Equal("hoikusho", hits.Count > 0 ? hits[0].Id : null);
    }

    [Theory]
    [InlineData("children", "child")]
    [InlineData("people", "person")]
    [InlineData("classes", "class")]
    public void EnglishPlurals_WithAndWithoutS_MeetTheirSingular(string plural, string singular) =>
        Assert.Equal(ForeignIndex.StemOf(singular), ForeignIndex.StemOf(plural));

    [Fact]
    public void EntryWhoseOwnNameTheQuestionHolds_GoesBeforeANeighbourWhoseNameSaysMore()
    {
        var packs = LanguageCatalog.LoadFolder(Path.Combine(Content, LanguageCatalog.Folder), out _);
        var catalog = ProcedureFile.Load(Path.Combine(Content, "procedures.yaml")).Procedures;

        // 인감 등록 is the whole name of seal registration; the certificate's name (인감등록증명서 발급) says more than was
        // asked. Before, both scored alike on the same characters and the certificate, earlier in the catalog, came first.
        Assert.Equal("inkan-toroku", new ForeignIndex(packs["ko"], catalog).Search("인감 등록은 어디서 해요")[0].Id);
    }

    [Theory]
    [InlineData("いぬが しにました", "いぬが しんだ")]
    [InlineData("ははが なくなりました", "ははが なくなった")]
    [InlineData("くるまを かいました", "くるまを かった")]
    [InlineData("てがみが きました", "てがみが きた")]
    [InlineData("らいねん ひっこします", "らいねん ひっこす")]
    [InlineData("しやくしょに きます", "しやくしょに くる")]
    [InlineData("ごみを だしたい", "ごみを だしたい")] // nothing polite: the same text
    [InlineData("せんだいに ひっこす ことに なりました", "せんだいに ひっこす ことに")] // なる after に says only "became": dropped, not なった
    [InlineData("びょうきに なって はたらけない", "びょうきに はたらけない")]
    [InlineData("ひとりと なった", "ひとりと")]
    [InlineData("となりの いえ", "となりの いえ")]
    public void PoliteVerbs_OfAnEasyQuestion_AreAlsoReadInTheirPlainForms(string polite, string plain) =>
        Assert.Equal(plain, EasyIndex.Plain(polite));

    private static LanguagePack Pack(string code) => LanguagePack.Load(Path.Combine(Content, LanguageCatalog.Folder, code + ".yaml"));

    [Fact]
    public void TagalogQuestion_WithAnAffixedVerbAndFunctionWords_FindsTheProcedureNotTheClasses()
    {
        var packs = LanguageCatalog.LoadFolder(Path.Combine(Content, LanguageCatalog.Folder), out _);
        var catalog = ProcedureFile.Load(Path.Combine(Content, "procedures.yaml")).Procedures;
        var index = new ForeignIndex(packs["tl"], catalog);

        // "paano" stands in a class keyword (paano gamitin ang LINE); the question is about registering a dog.
        var hits = index.Search("Paano ko ipaparehistro ang aso?");
        Assert.NotEmpty(hits);
        Assert.Equal("inu-toroku", hits[0].Id);
    }

    [Fact]
    public void Readings_ReplaceTheCatalogsKanjiWords_LongestFirst()
    {
        var readings = new Dictionary<string, string>(StringComparer.Ordinal) { ["国民"] = "こくみん", ["国民健康保険"] = "こくみんけんこうほけん", ["加入"] = "かにゅう" };
        var words = readings.Keys.OrderByDescending(k => k.Length).ToList();
        Assert.Equal("こくみんけんこうほけんのかにゅう・脱退", EasyIndex.Read("国民健康保険の加入・脱退", words, readings));
        Assert.Equal("住民票", EasyIndex.Read("住民票", words, readings));
        Assert.Equal("こくみんけんこうほけん", EasyIndex.JoinKana("こくみん けんこう ほけん"));
        Assert.Equal("LINE のつかいかた", EasyIndex.JoinKana("LINE の つかいかた")); // a space beside a Latin word stays
    }

    [Theory]
    [InlineData("こどもの てあて", "こども|てあて")]
    [InlineData("ぜいきんを はらう", "ぜいきん|はら")]
    [InlineData("ほかの まちへ ひっこす", "ほか|まちへ|ひっこ")] // へ says where: kept
    [InlineData("あかちゃんが うまれた", "あかちゃん|うまれ")] // a past form: うまれました matches too
    [InlineData("じゅうみんひょう（住民票）", "じゅうみんひょう")]
    [InlineData("こども", "こども")] // one word: its last kana is its own
    [InlineData("マイナンバーカード", "まいなんばかど")]
    [InlineData("ねこ", null)]
    public void EasyPhrase_IsReadAsItsWordsInOrder(string phrase, string? pieces) =>
        Assert.Equal(pieces, EasyIndex.Pieces(phrase) is { } p ? string.Join('|', p) : null);

    [Theory]
    [InlineData("かぞくが しんだ", "かぞく|しん; かぞく|しに; かぞく|しみ; かぞく|しび")]
    [InlineData("いぬを かう", "いぬ|かう; いぬ|かい")]
    [InlineData("ぜいきんを はらう", "ぜいきん|はら; ぜいきん|はらい")]
    [InlineData("こどもの てあて", "こども|てあて")] // no verb: one form
    [InlineData("しんだ", "しんだ")] // one word: as written
    public void EasyPhrase_ClosingWithAVerb_AlsoMatchesItsPoliteStem(string phrase, string forms) =>
        Assert.Equal(forms, string.Join("; ", EasyIndex.Forms(phrase).Select(f => string.Join('|', f))));

    [Fact]
    public void EasyPhrase_ExplainsTheShareOfTheQuestionItsWordsCover_InOrderOnly()
    {
        Assert.Equal(6 / 11.0, EasyIndex.Share("こどものてあてがほしい", ["こども", "てあて"]), 6);
        Assert.Equal(0, EasyIndex.Share("てあてのこどもがほしい", ["こども", "てあて"]));
        Assert.Equal(0, EasyIndex.Share("こどものほけん", ["こども", "てあて"]));
    }

    [Theory]
    [InlineData("しやくしょで いぬの とうろくを したい", " で いぬの とうろくを したい")]
    [InlineData("市役所の 窓口で ぜいきんを はらいたい", " の  で ぜいきんを はらいたい")]
    [InlineData("しやくしょ", "しやくしょ")] // nothing else: kept
    [InlineData("まどぐち？", "まどぐち？")]
    public void EasyQuestion_LosesItsFramingWords_WhereItIsAsked_NotWhatAbout(string question, string read)
    {
        var packs = LanguageCatalog.LoadFolder(Path.Combine(Content, LanguageCatalog.Folder), out _);
        var catalog = ProcedureFile.Load(Path.Combine(Content, "procedures.yaml")).Procedures;
        using var analysis = new Bot.Language.JapaneseAnalysis(Bot.Language.CityWords.Load(Path.Combine(Content, Bot.Language.CityWords.FileName)));
        Assert.Equal(read, new EasyIndex(packs["easy"], catalog, analysis).WithoutFraming(question));
    }

    [Fact]
    public void EasyQuestion_WithAPoliteVerb_IsLiftedByAPhraseWrittenPlain()
    {
        var packs = LanguageCatalog.LoadFolder(Path.Combine(Content, LanguageCatalog.Folder), out _);
        var catalog = ProcedureFile.Load(Path.Combine(Content, "procedures.yaml")).Procedures;
        using var analysis = new Bot.Language.JapaneseAnalysis(Bot.Language.CityWords.Load(Path.Combine(Content, Bot.Language.CityWords.FileName)));

        // しにました is read しんだ, a keyword of the death notice: the phrase lift sees the plain reading too.
        var hits = new EasyIndex(packs["easy"], catalog, analysis).Search("そふが しにました");
        Assert.Equal("shibou", hits[0].Procedure.Id);
        Assert.True(hits[0].Confidence >= Bot.Conversations.ConversationEngine.MatchThreshold, $"{hits[0].Confidence}");
    }

    [Theory]
    [InlineData("とうきょう に ひっこします", "ほかの まちへ ひっこします")] // a place no word of the city's: another city
    [InlineData("らいげつ よこはま から ひっこして きました", "らいげつ ほかの まちから ひっこして きました")] // coming from it
    [InlineData("なごやに ひっこす", "ほかの まちへ ひっこす")]
    [InlineData("ちかく に ひっこします", "ちかく に ひっこします")] // a word of the easy versions (ちかくに ひっこす: 転居)
    [InlineData("しおがま に ひっこして きました", "しおがま に ひっこして きました")] // the city itself
    [InlineData("しやくしょ に ひっこしの とどけを だす", "しやくしょ に ひっこしの とどけを だす")] // a word of the city's dictionary
    [InlineData("とうきょう に いきたい", "とうきょう に いきたい")] // no move: nothing to read
    public void EasyQuestion_MovingToOrFromAPlace_IsReadAsAnotherCity(string question, string read)
    {
        var packs = LanguageCatalog.LoadFolder(Path.Combine(Content, LanguageCatalog.Folder), out _);
        var catalog = ProcedureFile.Load(Path.Combine(Content, "procedures.yaml")).Procedures;
        using var analysis = new Bot.Language.JapaneseAnalysis(Bot.Language.CityWords.Load(Path.Combine(Content, Bot.Language.CityWords.FileName)));
        Assert.Equal(read, new EasyIndex(packs["easy"], catalog, analysis).ReadElsewhere(question));
    }

    [Theory]
    [InlineData("とうきょう に ひっこします", "tenshutsu")] // read as it was typed: 転居 (とう, きょう as in てんきょ)
    [InlineData("せんだい に ひっこす ことに なりました", "tenshutsu")] // read as it was typed: the dog's change of address
    public void EasyQuestion_MovingToOrFromAPlace_FindsMovingOutOrIn(string question, string expected)
    {
        var packs = LanguageCatalog.LoadFolder(Path.Combine(Content, LanguageCatalog.Folder), out _);
        var catalog = ProcedureFile.Load(Path.Combine(Content, "procedures.yaml")).Procedures;
        using var analysis = new Bot.Language.JapaneseAnalysis(Bot.Language.CityWords.Load(Path.Combine(Content, Bot.Language.CityWords.FileName)));
        Assert.Equal(expected, new EasyIndex(packs["easy"], catalog, analysis).Search(question)[0].Procedure.Id);
    }

    [Fact]
    public void EasyQuestion_SayingSomethingBecameSo_IsNotReadAsADeath()
    {
        var packs = LanguageCatalog.LoadFolder(Path.Combine(Content, LanguageCatalog.Folder), out _);
        var catalog = ProcedureFile.Load(Path.Combine(Content, "procedures.yaml")).Procedures;
        using var analysis = new Bot.Language.JapaneseAnalysis(Bot.Language.CityWords.Load(Path.Combine(Content, Bot.Language.CityWords.FileName)));

        // 〜ことに なりました read plain was なった, a word of the death notice's なくなった: the move is what is asked.
        var hits = new EasyIndex(packs["easy"], catalog, analysis).Search("らいげつ とうきょう に ひっこす ことに なりました");
        Assert.NotEqual("shibou", hits[0].Procedure.Id);
        Assert.DoesNotContain(hits, h => h.Procedure.Id == "shibou" && h.Confidence >= Bot.Conversations.ConversationEngine.MatchThreshold);
    }

    [Fact]
    public void EasyQuestion_NamingAPhraseOfAnEasyVersion_FindsThatProcedureFirst()
    {
        var packs = LanguageCatalog.LoadFolder(Path.Combine(Content, LanguageCatalog.Folder), out _);
        var catalog = ProcedureFile.Load(Path.Combine(Content, "procedures.yaml")).Procedures;
        using var analysis = new Bot.Language.JapaneseAnalysis(Bot.Language.CityWords.Load(Path.Combine(Content, Bot.Language.CityWords.FileName)));
        var index = new EasyIndex(packs["easy"], catalog, analysis);

        // こども and てあて stand in several entries' fields (the change of an allowance's account, medical costs);
        // together, in this order, they are the child allowance's own words.
        Assert.Equal("jido-teate", index.Search("こども の てあて が ほしい")[0].Procedure.Id);
    }

    [Theory]
    [InlineData("ちょっとの あいだ あかちゃんを あずけたい", "ichiji-azukari")] // not the daycare: for a while
    [InlineData("まいなんばーかーどを とりに いく ひ", "mynumber-uketori")] // not the application: picking it up
    [InlineData("こうえんを かりて たいかいを したい", "kouen-shiyo")] // not a broken park: using it
    [InlineData("かっている いぬが なくなりました", "inu-henko")] // not a family member's death
    [InlineData("まどぐちの ひとに もんくが ある", "iken")] // an everyday word no field held
    [InlineData("にわの ひりょうを つくりたい", "namagomi-hojo")]
    public void EasyNeighbours_AreToldApartByTheirEverydayWords(string question, string expected)
    {
        var packs = LanguageCatalog.LoadFolder(Path.Combine(Content, LanguageCatalog.Folder), out _);
        var catalog = ProcedureFile.Load(Path.Combine(Content, "procedures.yaml")).Procedures;
        using var analysis = new Bot.Language.JapaneseAnalysis(Bot.Language.CityWords.Load(Path.Combine(Content, Bot.Language.CityWords.FileName)));
        Assert.Equal(expected, new EasyIndex(packs["easy"], catalog, analysis).Search(question)[0].Procedure.Id);
    }

    [Fact]
    public void Readings_ThatAreNotHiragana_AreRefusedWithTheirLine()
    {
        var yaml = File.ReadAllText(Path.Combine(Content, LanguageCatalog.Folder, "easy.yaml"))
            .Replace("readings:\n", "readings:\n  試験語: shikengo\n", StringComparison.Ordinal);
        var ex = Assert.Throws<ContentProblemsException>(() => LanguagePack.Parse(yaml, "easy.yaml"));
        Assert.Contains(ex.Problems, p => p.Reason.Contains("'試験語': 'shikengo' must be hiragana only", StringComparison.Ordinal) && p.Line > 1);
    }

    /// <summary>Through the signed webhook, the fake LINE API on loopback and real SQLite.</summary>
    [Fact]
    public async Task EasyJapaneseResident_WhoIsNotUnderstood_IsToldSoInEasyJapanese_WithTheHelpNumber()
    {
        var easy = LanguageCatalog.LoadFolder(Path.Combine(Content, LanguageCatalog.Folder), out _)["easy"];
        await using var host = await LineTestHost.StartAsync();
        await host.SendAsync(LineEvents.Text("やさしい日本語で", host.Now));
        await host.WhenSettledAsync();
        await host.SendAsync(LineEvents.Text("ぴよぴよ ぽんぽこ", host.Now));
        await host.WhenSettledAsync();

        var text = host.Fake.Replies.Last().AllText;
        Assert.Contains(easy["not-understood"].Split('\n')[0], text, StringComparison.Ordinal);
        Assert.DoesNotContain("うまく分かりませんでした", text, StringComparison.Ordinal);
        Assert.Contains("022-364-1111", text, StringComparison.Ordinal); // city hall's, as menus.yaml's "not understood" gives it
        Assert.Empty(EasyJapaneseLinter.Check(easy["not-understood"]));
        Assert.Empty(host.Fake.SpecErrors);
    }


    [Fact]
    public async Task EasyJapaneseResident_InHiragana_ReachesAProcedure_ThePlainJapaneseMatcherIsNotSureOf()
    {
        // Since the catalog's word groups carry their readings (さいようしけん), the plain matcher offers the exam among
        // candidates; the easy index, reading its easy name, answers with the card itself.
        const string question = "しょくいん さいよう しけん を うけたい";
        await using var plain = await LineTestHost.StartAsync();
        await plain.SendAsync(LineEvents.Text(question, plain.Now));
        await plain.WhenSettledAsync();
        var unsure = plain.Fake.Replies.Last().AllText;
        Assert.Contains("どれのことでしょうか", unsure, StringComparison.Ordinal); // candidates, not the card

        await using var host = await LineTestHost.StartAsync();
        await host.SendAsync(LineEvents.Text("やさしい日本語で", host.Now));
        await host.WhenSettledAsync();
        await host.SendAsync(LineEvents.Text(question, host.Now));
        await host.WhenSettledAsync();
        var answer = host.Fake.Replies.Last().AllText;
        Assert.Contains("しょくいんの さいよう しけん（職員採用試験）", answer, StringComparison.Ordinal); // its easy name
        Assert.Empty(host.Fake.SpecErrors);
    }
}
