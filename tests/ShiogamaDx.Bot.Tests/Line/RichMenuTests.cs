using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Cli;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Line.RichMenu;
using ShiogamaDx.Bot.Tests.Infrastructure;
using SkiaSharp;

namespace ShiogamaDx.Bot.Tests.Line;

public sealed class RichMenuTests(JapaneseFontFixture fonts) : IClassFixture<JapaneseFontFixture>
{
    private static string BundledFile => Path.Combine(AppContext.BaseDirectory, "Content", RichMenuFile.FileName);

    [SkippableFact]
    public async Task DryRun_WritesAnImageOfTheMenuSize_AndJsonThatLineAccepts_WithoutCallingLine()
    {
        Skip.If(fonts.Missing is not null, fonts.Missing);
        await using var host = await LineTestHost.StartAsync();
        var outDir = Path.Combine(host.App.Folder, "richmenu");

        var (exit, output) = await RunAsync(host.App, "--dry-run", "--out", outDir);

        Assert.True(exit == 0, output);
        Assert.Empty(host.Fake.Calls);
        var png = await File.ReadAllBytesAsync(Path.Combine(outDir, "richmenu.png"));
        Assert.InRange(png.Length, 10_000, RichMenuRenderer.MaxBytes);
        using var bitmap = SKBitmap.Decode(png);
        Assert.Equal((2500, 1686), (bitmap.Width, bitmap.Height));
        var docs = Path.Combine(AppContext.BaseDirectory, "screenshots", "line"); // copied to docs/images/line/ for the README
        Directory.CreateDirectory(docs);
        await File.WriteAllBytesAsync(Path.Combine(docs, "richmenu.png"), png);

        var json = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(outDir, "richmenu.json")))!;
        Assert.Empty(OpenApiValidator.Messaging.Validate(json, "RichMenuRequest"));
        var areas = json["areas"]!.AsArray();
        Assert.Equal(["電子申請", "スマホ教室", "よくある質問", "お問い合わせ"], areas.Select(a => a!["action"]!["label"]!.GetValue<string>()));
        Assert.Equal(["message", "message", "uri", "postback"], areas.Select(a => a!["action"]!["type"]!.GetValue<string>()));

        // Every button is drawn where its area is: its colour fills the area and its white label is on it.
        var menu = RichMenuFile.Load(BundledFile);
        foreach (var area in menu.Areas)
        {
            var b = area.Bounds;
            Assert.Equal(SKColor.Parse(area.Color), bitmap.GetPixel(b.X + (b.Width / 10), b.Y + (b.Height / 2)));
            var white = 0;
            for (var x = b.X; x < b.Right; x += 4)
            {
                for (var y = b.Y + (b.Height / 4); y < b.Y + (b.Height / 2); y += 4)
                {
                    white += bitmap.GetPixel(x, y) == SKColors.White ? 1 : 0;
                }
            }

            Assert.True(white > 500, $"area {area.Label}: only {white} white label pixels");
        }
    }

    [SkippableFact]
    public async Task DryRun_EveryButton_GetsAnAnswerFromTheBot()
    {
        Skip.If(fonts.Missing is not null, fonts.Missing);
        await using var host = await LineTestHost.StartAsync();
        var outDir = Path.Combine(host.App.Folder, "richmenu");
        await RunAsync(host.App, "--dry-run", "--out", outDir);
        var json = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(outDir, "richmenu.json")))!;
        var notUnderstood = host.App.Services.GetRequiredService<DialogCatalog>().Menus.Resident.NotUnderstood;

        foreach (var action in json["areas"]!.AsArray().Select(a => a!["action"]!))
        {
            var type = action["type"]!.GetValue<string>();
            if (type == "uri")
            {
                Assert.StartsWith("https://", action["uri"]!.GetValue<string>(), StringComparison.Ordinal);
                continue;
            }

            var replies = type == "message"
                ? await host.App.SayAsync(Audience.Resident, "richmenu-user", action["text"]!.GetValue<string>())
                : await host.App.SayAsync(Audience.Resident, "richmenu-user", null, action["data"]!.GetValue<string>());
            var text = ReplyText.Of(replies);
            Assert.DoesNotContain(notUnderstood, text, StringComparison.Ordinal);
            Assert.DoesNotContain("このボタンは使えなくなりました", text, StringComparison.Ordinal); // the postback is signed with this host's key
        }
    }

    [SkippableFact]
    public async Task Apply_CreatesTheMenu_UploadsItsImageToTheDataApi_AndMakesItTheDefault_InThatOrder()
    {
        Skip.If(fonts.Missing is not null, fonts.Missing);
        await using var fake = await FakeLineApi.StartAsync();
        await using var host = await LineTestHost.StartAsync(new() { ["Line:DataApiBaseUrl"] = fake.Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal) }, fake);

        var (exit, output) = await RunAsync(host.App);

        Assert.True(exit == 0, output);
        Assert.Empty(fake.SpecErrors);
        var calls = fake.Calls;
        Assert.Equal(6 + (7 * 5), calls.Count); // then each language's menu (LanguageRichMenuTests): alias, create, image, alias
        var id = "richmenu-" + 1.ToString("D32", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(["GET /v2/bot/user/all/richmenu", "/v2/bot/richmenu", $"/v2/bot/richmenu/{id}/content", $"/v2/bot/user/all/richmenu/{id}", "GET /v2/bot/richmenu/alias/list", "/v2/bot/richmenu/alias"], calls.Take(6).Select(c => c.Path));
        Assert.Equal(id, fake.RichMenuAliases[RichMenuAliases.MainAlias]); // the disaster mode's way back
        Assert.Equal(404, calls[0].Status); // no default menu yet: nobody else's to keep
        Assert.All(calls.Skip(1), c => Assert.Equal(200, c.Status));
        var upload = fake.RichMenuImages[0];
        Assert.Equal("image/png", upload.ContentType);
        Assert.StartsWith("localhost:", upload.Host, StringComparison.Ordinal); // Line:DataApiBaseUrl, not the API host
        using var bitmap = SKBitmap.Decode(upload.Bytes);
        Assert.Equal(2500, bitmap.Width);
        Assert.Contains(id, output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Apply_LeavesADefaultMenuAnotherSystemMade_UnlessToldToReplaceIt_AndReplacesItsOwn()
    {
        Skip.If(fonts.Missing is not null, fonts.Missing);
        await using var fake = await FakeLineApi.StartAsync();
        await using var host = await LineTestHost.StartAsync(new() { ["Line:DataApiBaseUrl"] = fake.Url }, fake);
        fake.AddRichMenu("richmenu-facility", asDefault: true, name: "施設予約メニュー");

        var (refused, refusal) = await RunAsync(host.App);

        Assert.Equal(1, refused);
        Assert.Contains("richmenu-facility ('施設予約メニュー') was not made by this bot", refusal, StringComparison.Ordinal);
        Assert.DoesNotContain(fake.Calls, c => !c.Path.StartsWith("GET ", StringComparison.Ordinal)); // nothing created, nothing changed
        Assert.Equal("richmenu-facility", fake.DefaultRichMenu);

        var (replaced, _) = await RunAsync(host.App, "--replace");
        var ours = fake.DefaultRichMenu;
        var (again, output) = await RunAsync(host.App); // our own default: replaced without being told

        Assert.Equal(0, replaced);
        Assert.Equal(0, again);
        Assert.NotEqual("richmenu-facility", ours);
        Assert.NotEqual(ours, fake.DefaultRichMenu);
        Assert.Contains(fake.DefaultRichMenu!, output, StringComparison.Ordinal);
        Assert.Empty(fake.SpecErrors);
    }

    [SkippableFact]
    public async Task Apply_WhenTheUploadFails_DeletesTheUnfinishedMenu_AndExitsWithOne()
    {
        Skip.If(fonts.Missing is not null, fonts.Missing);
        await using var fake = await FakeLineApi.StartAsync();
        await using var host = await LineTestHost.StartAsync(new() { ["Line:DataApiBaseUrl"] = fake.Url }, fake);
        host.Fake.Fail("/v2/bot/richmenu/", 500, message: "Internal error");

        var (exit, output) = await RunAsync(host.App);

        Assert.Equal(1, exit);
        Assert.Contains("500", output, StringComparison.Ordinal);
        Assert.Equal(["GET /v2/bot/user/all/richmenu", "/v2/bot/richmenu", "/content", "DELETE"], host.Fake.Calls.Select(c => c.Path.StartsWith("DELETE", StringComparison.Ordinal) ? "DELETE" : c.Path.EndsWith("/content", StringComparison.Ordinal) ? "/content" : c.Path));
        Assert.DoesNotContain(host.Fake.Calls, c => c.Path.StartsWith("/v2/bot/user/all/", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task Apply_WithoutAnAccessToken_SaysSo_AndCallsNothing()
    {
        Skip.If(fonts.Missing is not null, fonts.Missing);
        await using var app = new BotApplication();

        var (exit, output) = await RunAsync(app);

        Assert.Equal(1, exit);
        Assert.Contains("Line:ChannelAccessToken", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("size: { width: 2500, height: 2000 }", 4, "1.45")]
    [InlineData("size: { width: 3000, height: 1686 }", 4, "800 to 2500")]
    [InlineData("chatBarText: とても長いチャットバーのテキストです", 2, "LINE allows 14")]
    [InlineData("    bounds: { x: 1300, y: 0, width: 1250, height: 843 }", 11, "reaches outside")]
    [InlineData("    bounds: { x: 1000, y: 843, width: 1250, height: 843 }", 19, "overlaps")]
    [InlineData("    color: \"#9EC5FE\"", 15, "contrast")]
    [InlineData("    action: { type: uri, uri: \"ftp://example.jp/\" }", 20, "full address")]
    [InlineData("    action: { type: message }", 20, "'text' is required")]
    [InlineData("    colour: \"#000000\"", 15, "unknown key 'colour'")]
    public void Validation_NamesFileAndLine(string replacement, int line, string message)
    {
        var yaml = Sample.Split('\n').ToList();
        var key = replacement.TrimStart().Split(':')[0];
        var at = line - 1;
        Assert.True(yaml[at].TrimStart().StartsWith(key, StringComparison.Ordinal) || key == "colour", $"line {line} is '{yaml[at]}'");
        yaml[at] = replacement;

        var ex = Assert.Throws<ContentFileException>(() => RichMenuFile.Parse(string.Join('\n', yaml), "/x/richmenu.yaml"));

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.StartsWith($"richmenu.yaml:{line}:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BundledMenu_IsValid_AndOffersTheFourButtons()
    {
        var menu = RichMenuFile.Load(BundledFile);

        Assert.Equal(["電子申請", "スマホ教室", "よくある質問", "お問い合わせ"], menu.Areas.Select(a => a.Label));
        Assert.True((menu.Width, menu.Height) is (2500, 1686) or (2500, 843));
        Assert.Equal(menu.Width * menu.Height, menu.Areas.Sum(a => a.Bounds.Width * a.Bounds.Height)); // no dead zone
    }

    private const string Sample = """
        name: test menu
        chatBarText: メニュー
        selected: true
        size: { width: 2500, height: 1686 }
        areas:
          - label: 電子申請
            color: "#0B4F8A"
            bounds: { x: 0, y: 0, width: 1250, height: 843 }
            action: { type: message, text: オンライン手続き }
          - label: スマホ教室
            bounds: { x: 1250, y: 0, width: 1250, height: 843 }
            action: { type: message, text: スマホ教室 }
          - label: お問い合わせ
            note: 市役所の連絡先
            color: "#5E2B87"
            bounds: { x: 0, y: 843, width: 1250, height: 843 }
            action: { type: postback, handler: contact }
          - label: よくある質問
            bounds: { x: 1250, y: 843, width: 1250, height: 843 }
            action: { type: uri, uri: "https://example.jp/faq" }
        """;

    private static async Task<(int Exit, string Output)> RunAsync(BotApplication app, params string[] args)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var command = scope.ServiceProvider.GetServices<IBotCommand>().OfType<RichMenuCommand>().Single();
        using var output = new StringWriter();
        var exit = await command.RunAsync(args, output, CancellationToken.None);
        return (exit, output.ToString());
    }
}

/// <summary>
/// Drawing the menu needs a Japanese font on the machine (Debian's fonts-noto-cjk, which .ci/run installs): a test run
/// never installs packages; without one the drawing tests are skipped and say how to install it.
/// </summary>
public sealed class JapaneseFontFixture
{
    public string? Missing { get; } = JapaneseFont.Find(null, "電子申請") is null
        ? "No Japanese font: run .ci/run once (it installs the Debian packages the tests use) or `sudo apt-get install fonts-noto-cjk`. " + JapaneseFont.InstallHint
        : null;
}
