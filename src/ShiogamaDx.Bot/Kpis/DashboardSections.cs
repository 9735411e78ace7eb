using System.Net;
using System.Text;

namespace ShiogamaDx.Bot.Kpis;

/// <summary>
/// Figures another feature shows on the KPI dashboard below the plan's KPIs (e.g. announcements per month and the
/// blocks after each): plain tables, HTML-encoded here. A feature registers one as a scoped service.
/// </summary>
public interface IDashboardSection
{
    Task<IReadOnlyList<DashboardTable>> TablesAsync(CancellationToken cancellationToken);
}

/// <param name="Id">The section's anchor on the page (letters, digits and '-').</param>
public sealed record DashboardTable(string Id, string Title, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows, string? Note = null);

internal static class DashboardSections
{
    /// <summary>The page with every registered section's tables before the end of its main part.</summary>
    public static async Task<string> AppendAsync(string page, IServiceProvider services, CancellationToken ct)
    {
        var sb = new StringBuilder();
        foreach (var section in services.GetServices<IDashboardSection>())
        {
            foreach (var table in await section.TablesAsync(ct))
            {
                Render(sb, table);
            }
        }

        var end = page.LastIndexOf("</main>", StringComparison.Ordinal);
        return sb.Length == 0 || end < 0 ? page : page.Insert(end, sb.ToString());
    }

    private static void Render(StringBuilder sb, DashboardTable t)
    {
        sb.Append("<h2 id=\"").Append(E(t.Id)).Append("\">").Append(E(t.Title)).Append("</h2><div class=\"wrap\"><table data-section=\"").Append(E(t.Id)).Append("\"><thead><tr>");
        foreach (var c in t.Columns)
        {
            sb.Append("<th scope=\"col\">").Append(E(c)).Append("</th>");
        }

        sb.Append("</tr></thead><tbody>");
        foreach (var row in t.Rows)
        {
            sb.Append("<tr>");
            for (var i = 0; i < row.Count; i++)
            {
                sb.Append(i == 0 ? "<th scope=\"row\">" : "<td>").Append(E(row[i])).Append(i == 0 ? "</th>" : "</td>");
            }

            sb.Append("</tr>");
        }

        sb.Append("</tbody></table></div>");
        if (t.Note is not null)
        {
            sb.Append("<p class=\"meta\">").Append(E(t.Note)).Append("</p>");
        }
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
