using ShiogamaDx.Bot.Procedures;

namespace ShiogamaDx.Bot.Tests.Procedures;

public sealed class ProcedureIndexTests
{
    // One kanji typed wrong in a city's word (a conversion slip: 票→標, 証→症, 険→検, 当→党) is read as the word meant.
    [Theory]
    [InlineData("住民標をとりたい", "juminhyo")]
    [InlineData("保険症をなくした", "shikaku-kakuninsho")]
    [InlineData("印艦証明を取りたい", "inkan-shomei")]
    [InlineData("国民健康保検に入りたい", "kokuho-kanyu")]
    [InlineData("児童手党の申請", "jido-teate")]
    public void Search_WithOneWrongKanji_FindsTheProcedureMeant(string question, string expected)
    {
        var hits = EvaluationTests.SampleIndex().Search(question);

        Assert.Equal(expected, hits[0].Procedure.Id);
        Assert.True(hits[0].Confidence >= 0.5, $"{question}: {hits[0].Confidence}");
    }

    // A compound the catalog itself writes is a word, not a slip: 保険料 stays 保険料 although it is one kanji from 保険証.
    [Fact]
    public void Search_WithAWordTheCatalogWrites_DoesNotReadItAsANearMiss()
    {
        var hits = EvaluationTests.SampleIndex().Search("保険料");

        Assert.DoesNotContain(hits, h => h.Procedure.Id == "shikaku-kakuninsho" && h.Confidence >= 0.5);
    }

    // A certificate of tax is the tax certificates' entry, not the convenience-store one that only shares 証明書:
    // the entry's 納税証明書 holds 証明書 as a part.
    [Fact]
    public void Search_WithTheFamilysGeneralWords_FindsTheCompoundsEntry()
    {
        Assert.Equal("zei-shomei", EvaluationTests.SampleIndex().Search("税の証明書がほしい")[0].Procedure.Id);
    }

    // A pronoun written in hiragana is no city word hidden in it: わたくし is not タクシー.
    [Fact]
    public void Search_WithAPronounInHiragana_DoesNotFindTheWordInsideIt()
    {
        Assert.Equal("juminhyo", EvaluationTests.SampleIndex().Search("わたくしは住民票がほしいです")[0].Procedure.Id);
    }

    // A husband or wife is family too (主人, 旦那, 家内): their death is the death registration, not the dog's.
    [Theory]
    [InlineData("主人が死んだので届出をしたい")]
    [InlineData("家内が死んだときの届出")]
    public void Search_WithASpouseWhoDied_FindsTheDeathRegistration(string question)
    {
        Assert.Equal("shibou", EvaluationTests.SampleIndex().Search(question)[0].Procedure.Id);
    }

    // A family member's death is the death registration, not the dog's: ばあちゃん is a word of the family group.
    [Fact]
    public void Search_WithAFamilyMemberWhoDied_FindsTheDeathRegistration_NotTheDogs()
    {
        Assert.Equal("shibou", EvaluationTests.SampleIndex().Search("ばあちゃんが亡くなった")[0].Procedure.Id);
    }

    // A thing no entry knows (ラジオ, エアコン) named beside a verb's grammar in hiragana (なくなった): the entries that share
    // only that grammar are never confident, as an entry matched by a verb alone.
    [Theory]
    [InlineData("ラジオがきこえなくなった")]
    [InlineData("エアコンがうごかなくなった")]
    public void Search_WithAnUnknownThingAndOnlyGrammarShared_IsNeverConfident(string question)
    {
        Assert.All(EvaluationTests.SampleIndex().Search(question), h => Assert.True(h.Confidence <= RetrievalWeights.Default.ActionOnlyCeiling, $"{h.Procedure.Id} {h.Confidence}"));
    }

    // Hiragana the catalog knows as a word is still what the question is about (ごみ, すてたい).
    [Fact]
    public void Search_WithKnownWordsInHiragana_StaysConfident()
    {
        var hits = EvaluationTests.SampleIndex().Search("ごみ を すてたい");

        Assert.Equal("sodai-gomi", hits[0].Procedure.Id);
        Assert.True(hits[0].Confidence >= 0.5, $"{hits[0].Confidence}");
    }
}
