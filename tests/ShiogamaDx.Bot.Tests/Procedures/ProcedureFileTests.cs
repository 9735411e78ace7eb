using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Procedures;

namespace ShiogamaDx.Bot.Tests.Procedures;

public sealed class ProcedureFileTests
{
    private const string Valid = """
        portal: https://e-shinsei.example.jp/shiogama/sample/
        procedures:
          - id: juminhyo
            name: 住民票の写しの請求
            category: 証明書・戸籍
            department: 市民課
            online: true
            how: 電子申請で請求します。
            url: https://e-shinsei.example.jp/shiogama/sample/juminhyo
            payment: [クレジットカード]
            myNumberCard: required
            keywords: [住民票]
            reviewed: 2026-04-01
        """;

    [Fact]
    public void BundledSampleCatalog_IsValid_AndMarkedAsSample()
    {
        var content = ProcedureFile.Load(Path.Combine(AppContext.BaseDirectory, "Content", ProcedureFile.FileName));

        Assert.Equal(64, content.Procedures.Count(p => p.Online));
        Assert.Equal(6, content.Procedures.Count(p => p.OnlinePayment));
        Assert.All(content.Procedures, p => Assert.True(p.Sample, p.Id));
        Assert.All(content.Procedures.Where(p => p.Url is not null), p => Assert.StartsWith("https://e-shinsei.example.jp/shiogama/sample/", p.Url, StringComparison.Ordinal));
        // Only the real number of 政策課デジタル推進係 may appear; every other contact is 「市役所代表」 style.
        Assert.All(content.Procedures, p => Assert.True(p.Contact.StartsWith("市役所代表", StringComparison.Ordinal) || p.Contact == "022-355-5284", p.Id));
    }

    [Fact]
    public void Parse_ValidFile_ReadsEveryField()
    {
        var content = ProcedureFile.Parse(Valid, "procedures.yaml");

        var p = Assert.Single(content.Procedures);
        Assert.Equal("juminhyo", p.Id);
        Assert.True(p.Online);
        Assert.True(p.OnlinePayment);
        Assert.Equal(MyNumberCardUse.Required, p.MyNumberCard);
        Assert.Equal(new DateOnly(2026, 4, 1), p.Reviewed);
        Assert.Equal("https://e-shinsei.example.jp/shiogama/sample/", content.PortalUrl);
    }

    [Fact]
    public void Parse_ChannelAndCounterPayment_AreRead_AndTheChannelDefaultsFromOnline()
    {
        var yaml = Valid.Replace("    payment: [クレジットカード]\n", "    payment: [クレジットカード]\n    counterPayment: [電子マネー, QRコード決済]\n", StringComparison.Ordinal)
            + "\n  - {id: konbini, name: コンビニ交付, category: 証明書, department: 市民課, online: false, channel: コンビニ, how: コンビニで取ります。, keywords: [コンビニ], reviewed: 2026-04-01}"
            + "\n  - {id: gomi, name: ごみの分け方, category: ごみ, department: 環境課, online: false, channel: info, how: カレンダーを見ます。, keywords: [ごみ], reviewed: 2026-04-01}"
            + "\n  - {id: inkan, name: 印鑑登録, category: 証明書, department: 市民課, online: false, how: 窓口で。, keywords: [印鑑], reviewed: 2026-04-01}";

        var procedures = ProcedureFile.Parse(yaml, "procedures.yaml").Procedures;

        Assert.Equal(
            [ProcedureChannel.Online, ProcedureChannel.ConvenienceStore, ProcedureChannel.Information, ProcedureChannel.Counter],
            procedures.Select(p => p.Channel));
        Assert.Equal(["電子マネー", "QRコード決済"], procedures[0].CounterPayment);
        Assert.True(procedures[0].CounterCashless);
        Assert.All(procedures.Skip(1), p => Assert.False(p.CounterCashless));
    }

    [Theory]
    [InlineData("    name: 住民票の写しの請求\n", "    nmae: 住民票の写しの請求\n", 4, "unknown key 'nmae'")]
    [InlineData("    url: https://e-shinsei.example.jp/shiogama/sample/juminhyo\n", "", 7, "online: true needs the url")]
    [InlineData("https://e-shinsei.example.jp/shiogama/sample/juminhyo", "http://example.jp/x", 9, "must be a full https:// address")]
    [InlineData("2026-04-01", "2026/4/1", 13, "must be a date like 2026-04-01")]
    [InlineData("myNumberCard: required", "myNumberCard: maybe", 11, "must be required, optional or none")]
    [InlineData("online: true", "online: sometimes", 7, "must be true or false")]
    [InlineData("id: juminhyo", "id: 住民票", 3, "must be lower-case letters")]
    [InlineData("    keywords: [住民票]\n", "", 3, "needs keywords")]
    [InlineData("payment: [クレジットカード]", "payment: [クレジットカード", 10, "")]
    [InlineData("    online: true\n", "    online: true\n    channel: fax\n", 8, "channel 'fax' must be online, konbini, post, counter, phone or info")]
    [InlineData("    online: true\n", "    online: false\n    channel: online\n", 8, "channel: online needs online: true")]
    [InlineData("    payment: [クレジットカード]\n", "    payment: [クレジットカード]\n    counterPayment: 現金\n", 11, "'counterPayment' must be a list")]
    [InlineData("    online: true\n", "    online: true\n    feature: bookings\n", 8, "feature 'bookings' must be one of this chat's features: classes")]
    public void Parse_BrokenFile_NamesTheLine(string find, string replace, int line, string message)
    {
        var yaml = Valid.Replace(find, replace, StringComparison.Ordinal);

        var ex = Assert.Throws<ContentFileException>(() => ProcedureFile.Parse(yaml, "procedures.yaml"));

        // The first problem leads the message; the others follow as "line N: …" (a misspelt key is also a missing one).
        Assert.True(
            ex.Message.StartsWith($"procedures.yaml:{line}:", StringComparison.Ordinal) || ex.Message.Contains($"line {line}: ", StringComparison.Ordinal),
            ex.Message);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SeveralProblems_ReportsThemAllWithLines()
    {
        var yaml = Valid + """

              - id: juminhyo
                name: 二つ目
                category: 証明書・戸籍
                department: 市民課
                online: maybe
                how: 窓口
                keywords: [x]
                reviewed: 2026-13-01
            """;

        var ex = Assert.Throws<ContentFileException>(() => ProcedureFile.Parse(yaml, "procedures.yaml"));

        Assert.Equal(18, ex.Line);
        Assert.Contains("'online' must be true or false", ex.Message, StringComparison.Ordinal);
        Assert.Contains("line 21: reviewed '2026-13-01' must be a date", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DuplicateId_NamesBothLines()
    {
        var second = Valid[(Valid.IndexOf("  - id:", StringComparison.Ordinal))..];
        var ex = Assert.Throws<ContentFileException>(() => ProcedureFile.Parse(Valid + "\n" + second, "procedures.yaml"));

        Assert.Equal(14, ex.Line);
        Assert.Contains("id 'juminhyo' is already used on line 3", ex.Message, StringComparison.Ordinal);
    }
}
