using System.Text.RegularExpressions;
using ShiogamaDx.Bot.Documents;
using ShiogamaDx.Bot.Guidelines;

namespace ShiogamaDx.Bot.Plan;

/// <summary>
/// The plan as Documents/ reads it, with the structure its numbering does not show: the 事業 sheets of 5. and of the
/// 参考資料 (a line 「基本方針1 市民のサービス向上に向けたDX 施策2」 above each sheet), the 施策①② of 4.(3), and the
/// unnumbered 参考資料 and 用語集 that follow 7. Each becomes a section of its own, cited by that path
/// (「5. 具体的な事業 ＞ 基本方針1 施策2 オンライン決済の促進」).
/// </summary>
internal static partial class PlanSections
{
    public static IReadOnlyList<GuidelineSection> Refine(IReadOnlyList<GuidelineSection> read)
    {
        var result = new List<GuidelineSection>();
        foreach (var section in read)
        {
            var top = section.CitedPath is { Length: > 0 } cited ? cited : section.Label;
            var topPath = section.HeadingPath;
            string? sub = null;
            string? policy = null;
            var paragraphs = new List<string>();

            void Close()
            {
                if (paragraphs.Count == 0)
                {
                    return;
                }

                var path = sub is null ? topPath : [.. topPath, sub];
                var label = sub is null ? top : $"{top} ＞ {sub}";
                result.Add(section with
                {
                    Title = sub ?? section.Title,
                    HeadingPath = path,
                    Paragraphs = paragraphs.ToList(),
                    CitedPath = label,
                    Ordinal = result.Count,
                });
                paragraphs.Clear();
            }

            for (var i = 0; i < section.Paragraphs.Count; i++)
            {
                var p = section.Paragraphs[i].Trim();
                if (Appendix().Match(p) is { Success: true } appendix)
                {
                    var name = appendix.Groups["name"].Value;
                    if (top != name)
                    {
                        Close();
                        (top, topPath, sub, policy) = (name, [name], null, null);
                    }

                    continue; // the heading repeated on every page of the appendix
                }

                if (Sheet().Match(p) is { Success: true } sheet)
                {
                    Close();
                    var project = i + 1 < section.Paragraphs.Count && ProjectName().Match(section.Paragraphs[i + 1]) is { Success: true } pn ? " " + pn.Groups["name"].Value.Trim() : string.Empty;
                    sub = $"基本方針{sheet.Groups["policy"].Value} 施策{sheet.Groups["measure"].Value}{project}";
                    continue;
                }

                // A 基本方針 line over a table's rows (「施策1 | 電子申請の推進 | …」) groups the rows: it is not a heading.
                if (Policy().Match(p) is { Success: true } pol && !(i + 1 < section.Paragraphs.Count && section.Paragraphs[i + 1].Contains(TableText.CellSeparator, StringComparison.Ordinal)))
                {
                    Close();
                    policy = $"基本方針{pol.Groups["policy"].Value} {pol.Groups["name"].Value.Trim()}";
                    sub = policy;
                }
                else if (Measure().Match(p) is { Success: true } measure && policy is not null)
                {
                    Close();
                    sub = $"{policy.Split(' ')[0]} 施策{measure.Groups["mark"].Value} {measure.Groups["name"].Value.Trim()}";
                }

                paragraphs.Add(section.Paragraphs[i]);
            }

            Close();
        }

        return result;
    }

    [GeneratedRegex(@"^[(（]?(?<name>参考資料|用語集)[)）]?$")]
    private static partial Regex Appendix();

    [GeneratedRegex(@"^基本方針(?<policy>\d)\s*[:：]?\s*\S.*?\s施策(?<measure>\d{1,2})$")]
    private static partial Regex Sheet();

    [GeneratedRegex(@"^基本方針(?<policy>\d)\s*[:：]?\s*(?<name>\S[^\t]*?DX)$")]
    private static partial Regex Policy();

    [GeneratedRegex(@"^施策(?<mark>[①-⑨])\s*[:：]\s*(?<name>.+)$")]
    private static partial Regex Measure();

    // 「事業名 | 電子申請の推進」 (a table row), or the row joined with the next ones (「事業名 電子申請の推進 内容 …」).
    [GeneratedRegex(@"^事業名(?:\s*\|)?\s*(?<name>[^|]+?)\s*(?:\||内容|$)")]
    private static partial Regex ProjectName();
}
