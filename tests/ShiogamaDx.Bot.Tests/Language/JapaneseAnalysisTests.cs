using Lucene.Net.Analysis.TokenAttributes;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Language;

namespace ShiogamaDx.Bot.Tests.Language;

public sealed class JapaneseAnalysisTests
{
    private static readonly Lazy<JapaneseAnalysis> City = new(() =>
        new JapaneseAnalysis(CityWords.Load(Path.Combine(AppContext.BaseDirectory, "Content", CityWords.FileName))));

    [Theory]
    [InlineData("住民票をオンラインで取りたい", "住民|票|を|オンライン|で|取り|たい")]
    [InlineData("粗大ごみの出し方", "粗大ごみ|の|出し|方")]
    [InlineData("ＲＰＡの令和８年度の実績は？", "rpa|の|令|和|8|年度|の|実績|は")]
    public void Analyze_WithoutWordList_SegmentsWithTheDictionary(string text, string expected)
    {
        var analyzed = JapaneseAnalysis.Plain.Analyze(text);

        Assert.Equal(expected, string.Join('|', analyzed.Tokens.Select(t => t.Surface)));
        Assert.DoesNotContain(analyzed.Tokens, t => t.IsConcept);
    }

    [Theory]
    [InlineData("じゅうみんひょうをとりたい")]
    [InlineData("ジュウミンヒョウを取りたい")]
    [InlineData("ｼﾞｭｳﾐﾝﾋｮｳ")]
    [InlineData("住民票の写しがほしいです")]
    public void Analyze_ReadsTheCitysWords_HoweverTheyAreWritten(string text)
    {
        var analyzed = City.Value.Analyze(text);

        Assert.Contains(analyzed.Concepts, t => t.Text == "住民票" && t.Kind == TokenKind.Concept);
    }

    [Theory]
    [InlineData("DXリダの役割", "りだ")]
    [InlineData("デタの活用", "でた")]
    public void ALoanWord_WithoutItsLongVowels_StaysOneWord(string text, string word)
    {
        var analyzed = JapaneseAnalysis.Plain.Analyze(text);

        Assert.Contains(word, analyzed.Words);
        Assert.Equal(word, Assert.Single(JapaneseAnalysis.Plain.Analyze(text.Replace("リダ", "リーダー", StringComparison.Ordinal).Replace("デタ", "データ", StringComparison.Ordinal)).Words, w => w == word));
    }

    [Fact]
    public void ALoanWord_WrittenWithItsLongVowels_KeepsTheDictionarysWords()
    {
        var analyzed = JapaneseAnalysis.Plain.Analyze("オープンデータ");

        Assert.Equal(["おぷん", "でた"], analyzed.Words);
    }

    [Fact]
    public void AOneKanaFiller_InsideAHiraganaWord_IsKept()
    {
        var analyzed = City.Value.Analyze("もらいたい");

        Assert.DoesNotContain(analyzed.Tokens, t => t.Kind == TokenKind.Filler && t.Text == "も");
        Assert.Contains(analyzed.Runs, r => r.StartsWith("もら", StringComparison.Ordinal));
    }

    [Fact]
    public void AOneKanaFiller_AfterAWord_IsStillDropped()
    {
        var analyzed = City.Value.Analyze("住民票もほしい");

        Assert.Contains(analyzed.Tokens, t => t.Kind == TokenKind.Filler && t.Text == "も");
    }

    // A word typed with its start in hiragana and its end in kanji (people convert what they can write) is the word; one
    // kana before the kanji is grammar, not the word's start.
    [Theory]
    [InlineData("しょうがいしゃ手帳がほしい", "障害者手帳")]
    [InlineData("ほけん証をなくした", "保険証")]
    [InlineData("し手帳がほしい", null)]
    public void AWordStartedInItsReading_AndEndedInKanji_IsRead(string text, string? expected)
    {
        var words = new CityWords([["障害者手帳", "しょうがいしゃてちょう"], ["保険証", "ほけんしょう"]], []);
        using var analysis = new JapaneseAnalysis(words);

        Assert.Equal(expected is null ? [] : [expected], analysis.Analyze(text).Concepts.Select(t => t.Text));
    }

    // The best cover of the stretch, not the first word met: いけん (意見) would eat the start of けんしん (健診).
    [Fact]
    public void InsideHiragana_TheWordsThatCoverMost_AreRead()
    {
        var analyzed = City.Value.Analyze("とくていけんしん");

        Assert.Equal(["健診"], analyzed.Concepts.Select(t => t.Text));
    }

    // In kanji a word of the list that begins at a character is read there: 要介護認定 is 要介護 and 認定, as the
    // catalog writes it, not 要 and 介護認定 (more characters covered, but the catalog's 認定 lost; the question went to
    // the guide whose keyword is 電話で相談).
    [Fact]
    public void InKanji_AWordBeginningAtACharacter_IsNotSkippedForALongerCover()
    {
        var analyzed = City.Value.Analyze("要介護認定の申請について電話で相談したい");

        Assert.Equal("要介護", analyzed.Tokens[0].Surface);
        Assert.Contains(analyzed.Tokens, t => t.Surface == "認定");
    }

    // A filler longer than the city word it begins with is the filler: あなた is not 穴 (あな) and a た.
    [Fact]
    public void ALongerFiller_WinsOverAShorterCityWord_AtOnePosition()
    {
        var analyzed = City.Value.Analyze("あなたは誰ですか");

        Assert.DoesNotContain(analyzed.Concepts, t => t.Text == "穴");
        Assert.Contains(analyzed.Tokens, t => t.Kind == TokenKind.Filler && t.Text == "あなた");
    }

    // A loan word's key has lost its long vowels (タクシー → たくし): it is found where the text writes it as a loan
    // word, never inside a native word written in hiragana.
    [Theory]
    [InlineData("わたくしの", false)]
    [InlineData("ほかにわたくしたちは", false)]
    [InlineData("タクシー券", true)]
    [InlineData("タクシ", true)]
    [InlineData("たくしー", true)]
    public void ALoanWordOfTheList_MatchesOnlyWhereWrittenAsOne(string text, bool found)
    {
        var analysis = new JapaneseAnalysis(new CityWords([["タクシー", "たくしー"]], []));

        Assert.Equal(found, analysis.Analyze(text).Concepts.Any(t => t.Text == "たくし"));
        Assert.Empty(analysis.CityWords.ReadingsOf("たくし"));
    }

    // A compound read as one word still says what its parts say: 納税証明書 is about 税金 and about a 証明書.
    [Fact]
    public void ACompound_KeepsTheCitysWordsInsideIt_AsParts()
    {
        var analyzed = City.Value.Analyze("納税証明書");

        Assert.Equal(["納税証明"], analyzed.Concepts.Select(t => t.Text));
        Assert.Contains("税金", analyzed.Parts);
        Assert.Contains("証明書", analyzed.Parts);
    }

    // The hiragana that goes on from a city word to the end of the text without a particle is its inflection and the
    // sentence's ending (casual: するんだけど, たんですが), marked as such. After a particle, or a verb whose particle was
    // left out (すいどうつかいたい, すいどうしゅうり), it is what is asked.
    [Theory]
    [InlineData("ひっこしするんだけど", false)]
    [InlineData("ひっこしたんですが", false)]
    [InlineData("引越しすることになりました", false)]
    [InlineData("ひっこしのてつづき", true)]
    [InlineData("すいどうつかいたい", true)]
    [InlineData("すいどうしゅうり", true)]
    [InlineData("ひっこしするんだけど水道", true)]
    public void TheHiraganaEndingOfTheLastCityWord_IsMarkedAsTheEnding(string text, bool asked)
    {
        var analysis = new JapaneseAnalysis(new CityWords([["引越し", "ひっこし"], ["水道", "すいどう"]], []));

        var analyzed = analysis.Analyze(text);

        Assert.NotEmpty(analyzed.Concepts);
        Assert.NotEmpty(analyzed.Runs);
        Assert.Equal(asked, analyzed.EndingFrom >= analyzed.Runs.Count);
    }

    [Fact]
    public void AKanaStandingAloneBetweenSpaces_IsAParticle()
    {
        var analyzed = JapaneseAnalysis.Plain.Analyze("こせき を とりたい");

        Assert.Contains(analyzed.Tokens, t => t.Kind == TokenKind.Particle && t.Text == "を");
        Assert.DoesNotContain(analyzed.Runs, r => r.Contains('を', StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_DropsFillers_OnlyWhereTheyAreWholeWords()
    {
        var analyzed = City.Value.Analyze("マイナンバーカードを作りたいのですが、どうすればいいですか");

        Assert.Equal(["まいなんばかど", "作りたい"], analyzed.Concepts.Select(t => t.Text));
        Assert.Equal(TokenKind.Action, analyzed.Concepts.Last().Kind);
        Assert.Empty(analyzed.Runs);
        Assert.Contains(analyzed.Tokens, t => t.Kind == TokenKind.Filler && t.Surface == "どうすれば");
    }

    [Fact]
    public void Analyze_KeepsWordsOutsideTheList_AsDictionaryWordsAndBigrams()
    {
        var analyzed = City.Value.Analyze("パスポートの申請はどこでできますか");

        Assert.Contains(analyzed.Tokens, t => t is { Text: "ぱすぽと", Surface: "パスポート", Kind: TokenKind.LoanWord });
        Assert.Contains("ぱすぽと", analyzed.Words);
        Assert.Contains("どこ", analyzed.Words);
        Assert.DoesNotContain("ぽと", analyzed.Bigrams()); // a loan word stands whole: サポート is not パスポート
        Assert.DoesNotContain(analyzed.Bigrams(), b => b.Contains('の', StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_WithAGivenList_FindsReadingsAndDropsFillers()
    {
        var analysis = new JapaneseAnalysis(new CityWords([["住民票", "じゅうみんひょう"]], ["たい", "の"], [["作りたい", "つくりたい"]]));

        var analyzed = analysis.Analyze("ジュウミンヒョウのうつしがとりたい");

        Assert.Equal(["住民票"], analyzed.Concepts.Select(t => t.Text));
        Assert.Equal(["うつしがとり"], analyzed.Runs);
        Assert.True(analysis.CityWords.IsAction(JapaneseText.Normalize("作りたい")));
    }

    [Fact]
    public void Turn_AnalysesItsTextOnce_AndACopyWithAnotherTextItsOwn()
    {
        var analysis = new JapaneseAnalysis(new CityWords([["住民票", "じゅうみんひょう"], ["印鑑登録", "いんかんとうろく"]], ["たい"]));
        var turn = TurnOf("じゅうみんひょうをとりたい");

        var first = turn.Analyzed(analysis);
        var copy = turn with { Text = "いんかんとうろくしたい" };

        // Several handlers read a turn's question (the catalog, the guides' joint index): one analysis (#19).
        Assert.Same(first, turn.Analyzed(analysis));
        Assert.Equal(["住民票"], first.Concepts.Select(t => t.Text));
        Assert.Equal(["印鑑登録"], copy.Analyzed(analysis).Concepts.Select(t => t.Text));
        Assert.NotSame(first, turn.Analyzed(JapaneseAnalysis.Plain));
    }

    private static Turn TurnOf(string text) =>
        new(IncomingMessage.FromText("test", Audience.Resident, "u", text, DateTimeOffset.UnixEpoch), text, TextNormalizer.Normalize(text), null);

    [Fact]
    public void Particles_EndRuns_ButHiraganaOnlyTextKeepsItsBigrams()
    {
        var grammar = JapaneseAnalysis.Plain.Analyze("電子申請が可能な手続数");
        var reading = JapaneseAnalysis.Plain.Analyze("じゅうみんひょう");

        Assert.Equal(["電子申請", "可能", "手続数"], grammar.Runs);
        Assert.Equal(["が", "な"], grammar.Tokens.Where(t => t.Kind == TokenKind.Particle).Select(t => t.Text));
        Assert.Equal(["じゅうみんひょう"], reading.Runs);
    }

    [Fact]
    public void Bigrams_NeverBridgeAConceptOrABreak()
    {
        var analyzed = JapaneseAnalysis.Plain.Analyze("粗大ごみ　捨てる");

        Assert.Equal(["粗大ごみ", "捨てる"], analyzed.Runs);
        Assert.DoesNotContain("み捨", analyzed.Bigrams());
    }

    [Theory]
    [InlineData("ｼﾞｭｳﾐﾝﾋｮｳ", "じゅうみんひょう")]
    [InlineData("塩竈市", "塩竃市")]
    [InlineData("スマート フォン〜！", "すまとふぉん")]
    [InlineData("ＡＢＣ－１２３", "abc123")]
    [InlineData("😀", "")]
    public void Normalize_GivesOneMatchingKey(string text, string expected)
    {
        Assert.Equal(expected, JapaneseText.Normalize(text));
        Assert.Equal(expected, TextNormalizer.Normalize(text));
    }

    [Fact]
    public void Fold_KeepsKatakanaAndLongVowels_ForTheDictionary()
    {
        Assert.Equal("マイナンバーカード 作りたい", JapaneseText.Fold("ﾏｲﾅﾝﾊﾞｰｶｰﾄﾞ、作りたい！"));
    }

    [Fact]
    public void LuceneAnalyzers_GiveTheAnalysisTerms()
    {
        const string text = "粗大ごみの出し方を教えて";
        var analyzed = City.Value.Analyze(text);

        Assert.Equal(analyzed.Words, Terms(City.Value.WordsAnalyzer, text));
        Assert.Equal(analyzed.Bigrams(), Terms(City.Value.BigramsAnalyzer, text));
        Assert.Equal(analyzed.Words, Terms(City.Value.WordsAnalyzer, text)); // the reused tokenizer reads the next text afresh
    }

    [Fact]
    public void Load_AGroupOfOneWord_NamesTheLine()
    {
        var path = Path.Combine(Path.GetTempPath(), $"words-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "words:\n  - [住民票, じゅうみんひょう]\n  - [戸籍]\n");
        try
        {
            var error = Assert.Throws<ContentFileException>(() => CityWords.Load(path));
            Assert.Equal(3, error.Line);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static List<string> Terms(Lucene.Net.Analysis.Analyzer analyzer, string text)
    {
        var terms = new List<string>();
        using var stream = analyzer.GetTokenStream("f", text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            terms.Add(term.ToString());
        }

        stream.End();
        return terms;
    }

    [Theory]
    [InlineData("法務局の受付時間は何時まで", true)]
    [InlineData("七十七銀行は土曜日もあいてる？", true)]
    [InlineData("警察署ってどこ", true)]
    [InlineData("信用金庫が閉まる時間", true)]
    [InlineData("郵便局で税金を払える？", false)] // where a city procedure is done, not the topic
    [InlineData("市役所の開庁時間", false)]
    [InlineData("会社の保険をやめた", false)]
    [InlineData("住民票の写しを取りたい", false)]
    [InlineData("振込先の銀行を変えたい", false)] // the institution is not the question's topic
    [InlineData("近くの郵便局の電話番号", true)] // after の, not only at the start
    [InlineData("塩竈の税務署は何時まで", true)]
    [InlineData("ハローワークの求人を見たい", true)] // a name of the list's "elsewhere" entries
    [InlineData("ゆうちょ銀行の通帳をなくした", true)]
    [InlineData("ハローワークで言われた国保の手続き", false)] // where, not what
    [InlineData("税金を銀行の窓口で払いたい", false)] // after を: where, not what
    public void AQuestionOpeningWithAnotherInstitution_IsRecognized(string text, bool other)
    {
        Assert.Equal(other, City.Value.CityWords.IsAboutOtherInstitution(text));
    }

    [Fact]
    public void AnInstitutionTheCitysListKnowsWhole_IsTheCitys()
    {
        var words = new CityWords([["水道局", "すいどうきょく"]], []);

        Assert.False(words.IsAboutOtherInstitution("水道局の窓口は何時まで"));
        Assert.True(CityWords.Empty.IsAboutOtherInstitution("水道局の窓口は何時まで"));
    }

    // A word of the list written half in its reading, its kanji first: the hiragana after the kanji is the end of a
    // reading of the word's group, two kana at least.
    [Theory]
    [InlineData("水もれしてるみたい", "水漏れ")]
    [InlineData("水道管から水もれ", "水漏れ")]
    [InlineData("市民ぜいの申告", "市民税")]
    [InlineData("市民いるかな", null)] // one kana is grammar, not the rest of a word
    [InlineData("市民の広場", null)]
    public void AWordWrittenHalfInItsReading_IsTheCitysWord(string text, string? concept)
    {
        var analysis = new JapaneseAnalysis(new CityWords([["水漏れ", "漏水", "みずもれ"], ["市民税", "しみんぜい"]], []));

        var concepts = analysis.Analyze(text).Concepts.Select(t => t.Text).ToList();

        if (concept is null)
        {
            Assert.Empty(concepts);
        }
        else
        {
            Assert.Contains(concept, concepts);
        }
    }
}
