using System.Text.Json.Nodes;
using Microsoft.Playwright;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Line;

/// <summary>
/// What residents see on LINE, for the docs (README, docs/content.md): the host answers through the fake LINE API,
/// and the reply it really sent is drawn as the LINE app lays it out (<see cref="LineChatPreview"/>) and screenshot in
/// Debian's headless Chromium. Screenshots go to the test output (screenshots/line/), copied to docs/images/line/.
/// </summary>
public sealed class LineScreenshotTests
{
    [SkippableTheory]
    [InlineData("住民票の写しがほしい", "procedure-card.png")]
    [InlineData("スマホ教室の日程", "classes.png")]
    public async Task AReplyWithCards_AsTheLineAppShowsIt_HasEveryButtonInsideItsCard(string question, string file)
    {
        var missing = await Chromium.EnsureInstalledAsync();
        Skip.If(missing is not null, missing);
        await using var host = await LineTestHost.StartAsync();
        await host.SendAsync(LineEvents.Text(question, host.Now));
        await host.EventuallyAsync(() => host.Fake.Replies.Any(), because: "the host replies");
        var reply = host.Fake.Replies.First();
        Assert.Empty(host.Fake.SpecErrors);
        var messages = reply.Body!["messages"]!.AsArray().Select(m => m!).ToList();
        Assert.Contains(messages, m => (string?)m["type"] == "flex");

        await using var browser = await Chromium.LaunchAsync(390, 900);
        var page = await browser.Context.NewPageAsync();
        await page.SetContentAsync(LineChatPreview.Html("塩竈市", messages));

        // Every card is drawn at LINE's width, and every button stays inside its card (no label pushes it out); the
        // first card fits the phone's screen.
        var bubbles = await page.Locator(".bubble").AllAsync();
        Assert.NotEmpty(bubbles);
        var firstCard = (await bubbles[0].BoundingBoxAsync())!;
        Assert.True(firstCard.X + firstCard.Width <= 390, $"the first card ends at {firstCard.X + firstCard.Width}px on a 390px screen");
        foreach (var bubble in bubbles)
        {
            var box = (await bubble.BoundingBoxAsync())!;
            Assert.True(box.Width >= 250, $"a card {box.Width}px wide");
            foreach (var button in await bubble.Locator(".button").AllAsync())
            {
                var b = (await button.BoundingBoxAsync())!;
                Assert.True(b.X >= box.X - 0.5 && b.X + b.Width <= box.X + box.Width + 0.5, $"button '{await button.InnerTextAsync()}' leaves its card");
            }
        }

        // The first card's title (its first text) is on the screen.
        var title = FirstText(messages.First(m => (string?)m["type"] == "flex")["contents"]!);
        Assert.True(await page.GetByText(title, new() { Exact = true }).First.IsVisibleAsync(), $"'{title}' is shown");

        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots", "line");
        Directory.CreateDirectory(folder);
        var shot = await page.Locator(".chat").ScreenshotAsync(new() { Path = Path.Combine(folder, file), Type = ScreenshotType.Png });
        Assert.True(shot.Length > 10_000, $"{file}: {shot.Length} bytes");
    }

    private static string FirstText(JsonNode node) => node switch
    {
        JsonObject o when (string?)o["type"] == "text" => (string)o["text"]!,
        JsonObject o => o.Select(kv => kv.Value).OfType<JsonNode>().Select(FirstTextOrNull).FirstOrDefault(t => t is not null)!,
        JsonArray a => a.OfType<JsonNode>().Select(FirstTextOrNull).FirstOrDefault(t => t is not null)!,
        _ => null!,
    };

    private static string? FirstTextOrNull(JsonNode n) => n is JsonObject or JsonArray ? FirstText(n) : null;
}
