using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace ShiogamaDx.Bot.Tests.Line;

/// <summary>
/// The messages of a LINE reply, drawn as HTML the way the LINE app lays them out, for screenshots in the docs: text
/// bubbles, Flex bubbles and carousels (the components the renderer uses: box, text, button, image, separator) and the
/// quick-reply buttons. LINE has no offline renderer (its Flex Message Simulator is a web service), so the sizes
/// follow the Messaging API's documented keywords (bubble widths, text sizes, margins, button styles); what it draws
/// is the JSON the host really sent to the fake LINE API, so a change in the renderer shows in the picture.
/// </summary>
internal static class LineChatPreview
{
    public static string Html(string title, IEnumerable<JsonNode> messages)
    {
        var list = messages.ToList();
        var sb = new StringBuilder();
        sb.Append("<!doctype html><html lang=\"ja\"><head><meta charset=\"utf-8\"><style>").Append(Css).Append("</style></head><body>");
        sb.Append("<div class=\"chat\"><div class=\"top\">").Append(E(title)).Append("</div><div class=\"log\">");
        foreach (var message in list)
        {
            sb.Append("<div class=\"row\"><div class=\"icon\">塩</div>");
            switch ((string?)message["type"])
            {
                case "text":
                    sb.Append("<div class=\"text\">").Append(E((string?)message["text"] ?? string.Empty).Replace("\n", "<br>", StringComparison.Ordinal)).Append("</div>");
                    break;
                case "flex":
                    sb.Append("<div class=\"flex\" role=\"img\" aria-label=\"").Append(E((string?)message["altText"] ?? string.Empty)).Append("\">");
                    Container(sb, message["contents"]);
                    sb.Append("</div>");
                    break;
                default:
                    sb.Append("<div class=\"text\">[").Append(E((string?)message["type"] ?? "?")).Append("]</div>");
                    break;
            }

            sb.Append("</div>");
        }

        sb.Append("</div>");
        if (list.LastOrDefault()?["quickReply"]?["items"] is JsonArray items)
        {
            sb.Append("<div class=\"quick\">");
            foreach (var item in items)
            {
                sb.Append("<span class=\"pill\">").Append(E((string?)item?["action"]?["label"] ?? string.Empty)).Append("</span>");
            }

            sb.Append("</div>");
        }

        return sb.Append("</div></body></html>").ToString();
    }

    private static readonly (string Part, int Padding)[] Parts = [("header", 20), ("hero", 0), ("body", 20), ("footer", 10)];

    private static void Container(StringBuilder sb, JsonNode? node)
    {
        if ((string?)node?["type"] == "carousel")
        {
            sb.Append("<div class=\"carousel\">");
            foreach (var bubble in node["contents"]!.AsArray())
            {
                Container(sb, bubble);
            }

            sb.Append("</div>");
            return;
        }

        var width = (string?)node?["size"] switch
        {
            "nano" => 120,
            "micro" => 160,
            "kilo" => 260,
            "giga" => 500,
            _ => 300, // mega, LINE's default
        };
        sb.Append(CultureInfo.InvariantCulture, $"<div class=\"bubble\" style=\"width:{width}px\">");
        foreach (var (part, padding) in Parts)
        {
            if (node?[part] is { } block)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<div class=\"{part}\" style=\"padding:{Margin((string?)block["paddingAll"]) ?? padding}px\">");
                Component(sb, block, "vertical");
                sb.Append("</div>");
            }
        }

        sb.Append("</div>");
    }

    /// <param name="spacing">The parent box's spacing: the margin of a child after the first that sets none.</param>
    private static void Component(StringBuilder sb, JsonNode node, string parentLayout, string? spacing = null)
    {
        var style = new StringBuilder();
        if (Margin((string?)node["margin"] ?? spacing) is { } margin)
        {
            style.Append(CultureInfo.InvariantCulture, $"margin-{(parentLayout == "vertical" ? "top" : "left")}:{margin}px;");
        }

        // Children of a horizontal box share the width (flex 1 unless told); of a vertical box they keep their height.
        var flex = (int?)node["flex"] ?? (parentLayout == "vertical" ? 0 : 1);
        style.Append(CultureInfo.InvariantCulture, $"flex:{flex} {flex} {(flex == 0 ? "auto" : "0")};min-width:0;");
        switch ((string?)node["type"])
        {
            case "box":
                var layout = (string?)node["layout"] ?? "vertical";
                if ((string?)node["backgroundColor"] is { } background)
                {
                    style.Append("background:").Append(E(background)).Append(';');
                }

                if (Margin((string?)node["paddingAll"]) is { } padding)
                {
                    style.Append(CultureInfo.InvariantCulture, $"padding:{padding}px;");
                }

                sb.Append("<div class=\"box ").Append(E(layout)).Append("\" style=\"").Append(style).Append("\">");
                var first = true;
                foreach (var child in node["contents"]!.AsArray())
                {
                    Component(sb, child!, layout, first ? null : (string?)node["spacing"]);
                    first = false;
                }

                sb.Append("</div>");
                break;
            case "text":
                style.Append(CultureInfo.InvariantCulture, $"font-size:{TextSize((string?)node["size"])}px;");
                style.Append((string?)node["weight"] == "bold" ? "font-weight:700;" : string.Empty);
                style.Append((bool?)node["wrap"] == true ? "white-space:pre-wrap;" : "white-space:nowrap;overflow:hidden;text-overflow:ellipsis;");
                if ((string?)node["color"] is { } color)
                {
                    style.Append("color:").Append(E(color)).Append(';');
                }

                sb.Append("<div class=\"t\" style=\"").Append(style).Append("\">").Append(E((string?)node["text"] ?? string.Empty)).Append("</div>");
                break;
            case "button":
                var kind = (string?)node["style"] ?? "link";
                style.Append(CultureInfo.InvariantCulture, $"height:{((string?)node["height"] == "sm" ? 40 : 52)}px;");
                sb.Append("<div class=\"button ").Append(E(kind)).Append("\" style=\"").Append(style).Append("\">")
                    .Append(E((string?)node["action"]?["label"] ?? string.Empty)).Append("</div>");
                break;
            case "image":
                // The image itself is on the city's server, out of reach of a test: its frame and proportions are drawn.
                var ratio = ((string?)node["aspectRatio"] ?? "1:1").Split(':');
                sb.Append("<div class=\"image\" style=\"").Append(style).Append("aspect-ratio:").Append(E(ratio[0])).Append('/').Append(E(ratio.ElementAtOrDefault(1) ?? "1")).Append("\">画像</div>");
                break;
            case "separator":
                sb.Append("<div class=\"sep\" style=\"").Append(style).Append("\"></div>");
                break;
            default:
                // A component the renderer started to use: draw it here too before the docs show it.
                throw new NotSupportedException($"LineChatPreview does not draw a '{(string?)node["type"]}' yet");
        }
    }

    private static int TextSize(string? size) => size switch
    {
        "xxs" => 11,
        "xs" => 13,
        "sm" => 14,
        "lg" => 19,
        "xl" => 22,
        "xxl" => 29,
        "3xl" => 35,
        _ => 16, // md
    };

    /// <summary>A margin, spacing or padding: LINE's keyword or pixels ("12px").</summary>
    private static int? Margin(string? value) => value switch
    {
        null => null,
        "none" => 0,
        "xs" => 2,
        "sm" => 4,
        "md" => 8,
        "lg" => 12,
        "xl" => 16,
        "xxl" => 20,
        _ when value.EndsWith("px", StringComparison.Ordinal) && int.TryParse(value[..^2], CultureInfo.InvariantCulture, out var px) => px,
        _ => null,
    };

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private const string Css = """
        * { box-sizing: border-box; }
        body { margin: 0; font-family: "Noto Sans CJK JP", "IPAGothic", sans-serif; background: #fff; }
        .chat { width: 390px; min-height: 640px; background: #8cabd9; display: flex; flex-direction: column; }
        .top { background: #2f3b52; color: #fff; padding: 12px 16px; font-size: 15px; font-weight: 700; }
        .log { padding: 12px 8px; flex: 1; }
        .row { display: flex; align-items: flex-start; margin-bottom: 10px; }
        .icon { width: 34px; height: 34px; border-radius: 50%; background: #0b6e4f; color: #fff; font-size: 15px;
                display: flex; align-items: center; justify-content: center; margin-right: 6px; flex: none; }
        .text { background: #fff; border-radius: 16px; padding: 8px 12px; font-size: 15px; line-height: 1.45; max-width: 300px; }
        .flex { max-width: 340px; overflow-x: auto; }
        .carousel { display: flex; gap: 8px; }
        .bubble { background: #fff; border-radius: 17px; overflow: hidden; flex: none; max-width: 336px; } /* the app caps giga at the screen */
        .box { display: flex; }
        .box.vertical { flex-direction: column; }
        .box.horizontal { flex-direction: row; }
        .box.baseline { flex-direction: row; align-items: baseline; }
        .t { line-height: 1.4; color: #111; }
        .button { display: flex; align-items: center; justify-content: center; border-radius: 8px; font-size: 16px; padding: 0 8px; text-align: center; }
        .button.primary { background: #17c950; color: #fff; }
        .button.secondary { background: #dcdfe5; color: #111; }
        .button.link { color: #42659a; }
        .image { background: #d9dde3; color: #667; display: flex; align-items: center; justify-content: center; width: 100%; }
        .sep { border-top: 1px solid #e0e0e0; }
        .quick { display: flex; gap: 6px; padding: 8px; overflow-x: hidden; flex-wrap: wrap; background: rgba(255,255,255,.6); }
        .pill { border: 1px solid #42659a; color: #42659a; background: #fff; border-radius: 16px; padding: 6px 12px; font-size: 14px; white-space: nowrap; }
        """;
}
