using System.Text;
using ShiogamaDx.Bot.Language;

namespace ShiogamaDx.Bot.Tests.Language;

/// <summary>The NFKC shortcut of <see cref="JapaneseText"/> (#19) gives what ICU gives.</summary>
public class JapaneseTextNfkcTests
{
    [Fact]
    public void EveryCharacterTakenAsStable_IsItsOwnNfkcForm()
    {
        var stable = Enumerable.Range(0, 0x10000).Select(i => (char)i).Where(c => !char.IsSurrogate(c) && JapaneseText.IsNfkcStable(c)).ToList();

        Assert.True(stable.Count > 20_000);
        Assert.All(stable, c => Assert.Equal(c.ToString(), c.ToString().Normalize(NormalizationForm.FormKC)));
    }

    [Theory]
    [InlineData("じゅうみんひょうをとりたい")]
    [InlineData("住民票をオンラインで取りたい。")]
    [InlineData("ｼﾞｭｳﾐﾝﾋｮｳ")]
    [InlineData("マイナンバーカード　ＡＢＣ１２３")]
    [InlineData("か\u3099")]
    [InlineData("①髙橋さんの證明書")]
    public void Text_IsNormalisedAsByIcu(string text)
    {
        Assert.Equal(text.Normalize(NormalizationForm.FormKC), JapaneseText.Nfkc(text));
    }
}
