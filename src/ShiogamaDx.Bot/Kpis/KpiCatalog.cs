using System.Globalization;
using ShiogamaDx.Bot.Conversations;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ShiogamaDx.Bot.Kpis;

public enum PlanKind
{
    /// <summary>塩竈市DX推進プラン (令和8年3月), 5. 具体的な事業: 令和7〜12年度.</summary>
    Current,

    /// <summary>The previous DX推進アクションプラン as reported in the plan's 参考資料: 令和4〜7年度.</summary>
    Previous,
}

public enum KpiField
{
    Target,
    Actual,
    Budget,
}

/// <summary>The plan as transcribed in Content/kpis.yaml: what the bot matches questions against.</summary>
public sealed record KpiCatalog(int FirstYear, int LastYear, IReadOnlyList<string> Notes, IReadOnlyList<KpiProjectDef> Projects)
{
    public IEnumerable<KpiDef> Kpis => Projects.SelectMany(p => p.Kpis);

    public KpiDef? Kpi(string id) => Kpis.FirstOrDefault(k => k.Id == id);

    public KpiProjectDef? Project(string id) => Projects.FirstOrDefault(p => p.Id == id);

    public KpiProjectDef ProjectOf(KpiDef kpi) => Projects.First(p => p.Id == kpi.ProjectId);

    public static (int First, int Last) YearsOf(PlanKind plan) => plan == PlanKind.Current ? (2025, 2030) : (2022, 2025);
}

public sealed record KpiProjectDef(
    string Id,
    PlanKind Plan,
    int Policy,
    string PolicyName,
    int Measure,
    string Name,
    string Source,
    string Department,
    string Summary,
    string? Effect,
    string? Qualitative,
    string? Review,
    string? ResultStatus,
    string? ResultText,
    string? BudgetNote,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<PlanCell> Budget,
    IReadOnlyList<KpiDef> Kpis,
    int Line)
{
    public string MeasureLabel => $"基本方針{Policy} 施策{Measure}";

    public string PlanLabel => Plan == PlanKind.Current ? "塩竈市DX推進プラン" : "DX推進アクションプラン（前計画）";
}

public sealed record KpiDef(
    string Id,
    string ProjectId,
    PlanKind Plan,
    string Name,
    string Unit,
    string? Note,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<PlanCell> Cells,
    int Line)
{
    public IEnumerable<PlanCell> Primary(KpiField field) => Cells.Where(c => c.Field == field && c.Discrepancy is null);
}

/// <param name="Value">The number, when the cell is a number.</param>
/// <param name="Text">The cell's words when it is not a number (方針転換により見送り, 検討結果より算出 …).</param>
/// <param name="Discrepancy">Null for the detail table's value; else where in the plan this other value is written.</param>
public sealed record PlanCell(int FiscalYear, KpiField Field, decimal? Value, string? Text, string? Note, string? Discrepancy, int Line);

/// <summary>Reads Content/kpis.yaml through the representation model so every error names its line.</summary>
public static class KpiCatalogLoader
{
    public const string FileName = "kpis.yaml";

    private static readonly HashSet<string> ProjectKeys =
    [
        "id", "plan", "policy", "policyName", "measure", "name", "source", "department", "summary", "effect",
        "qualitative", "review", "result", "aliases", "budget", "budgetNote", "discrepancies", "kpis",
    ];

    private static readonly HashSet<string> KpiKeys = ["id", "name", "unit", "note", "aliases", "years", "discrepancies"];

    public static KpiCatalog Load(string file)
    {
        if (!File.Exists(file))
        {
            throw new ContentFileException(file, 1, "the KPI file is missing");
        }

        return Parse(File.ReadAllText(file), file);
    }

    public static KpiCatalog Parse(string yaml, string file)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new ContentFileException(file, (int)e.Start.Line, e.Message);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new ContentFileException(file, 1, "expected a mapping with 'projects'");
        }

        var (first, last) = (2026, 2030);
        if (Child(root, "plannedYears") is YamlMappingNode years)
        {
            first = Year(Child(years, "first") ?? years, file);
            last = Year(Child(years, "last") ?? years, file);
        }

        var notes = Seq(root, "notes", file).Select(n => Scalar(n, file)).ToList();
        var projects = Seq(root, "projects", file).Select(n => ParseProject(n, file)).ToList();
        if (projects.Count == 0)
        {
            throw new ContentFileException(file, Line(root), "'projects' must list at least one project");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in projects)
        {
            if (!ids.Add(p.Id))
            {
                throw new ContentFileException(file, p.Line, $"project id '{p.Id}' is used twice");
            }

            foreach (var k in p.Kpis)
            {
                if (!ids.Add(k.Id))
                {
                    throw new ContentFileException(file, k.Line, $"KPI id '{k.Id}' is used twice");
                }
            }
        }

        return new KpiCatalog(first, last, notes, projects);
    }

    private static KpiProjectDef ParseProject(YamlNode node, string file)
    {
        var map = node as YamlMappingNode ?? throw new ContentFileException(file, Line(node), "a project must be a mapping");
        CheckKeys(map, ProjectKeys, file, "project");
        var id = Required(map, "id", file);
        var planText = Required(map, "plan", file);
        var plan = planText switch
        {
            "current" => PlanKind.Current,
            "previous" => PlanKind.Previous,
            _ => throw new ContentFileException(file, Line(Child(map, "plan")!), $"plan: '{planText}' is not current or previous"),
        };
        var (firstYear, lastYear) = KpiCatalog.YearsOf(plan);
        var cells = new List<PlanCell>();
        if (Child(map, "budget") is { } budget)
        {
            cells.AddRange(ParseBudget(budget, file, firstYear, lastYear));
        }

        cells.AddRange(Seq(map, "discrepancies", file).Select(d => ParseDiscrepancy(d, file)));
        if (cells.Any(c => c.Field != KpiField.Budget))
        {
            throw new ContentFileException(file, cells.First(c => c.Field != KpiField.Budget).Line, "a project's discrepancies are about its budget; put target/actual ones under the KPI");
        }

        string? status = null, resultText = null;
        if (Child(map, "result") is YamlMappingNode result)
        {
            status = Optional(result, "status");
            resultText = Optional(result, "text");
        }

        return new KpiProjectDef(
            id, plan,
            PositiveInt(map, "policy", file), Required(map, "policyName", file), PositiveInt(map, "measure", file),
            Required(map, "name", file), Required(map, "source", file), Required(map, "department", file), Required(map, "summary", file),
            Optional(map, "effect"), Optional(map, "qualitative"), Optional(map, "review"), status, resultText, Optional(map, "budgetNote"),
            Seq(map, "aliases", file).Select(n => Scalar(n, file)).ToList(),
            cells,
            Seq(map, "kpis", file).Select(k => ParseKpi(k, id, plan, file)).ToList(),
            Line(map));
    }

    private static KpiDef ParseKpi(YamlNode node, string projectId, PlanKind plan, string file)
    {
        var map = node as YamlMappingNode ?? throw new ContentFileException(file, Line(node), "a KPI must be a mapping");
        CheckKeys(map, KpiKeys, file, "KPI");
        var cells = new List<PlanCell>();
        if (Child(map, "years") is { } yearsNode)
        {
            var years = yearsNode as YamlMappingNode ?? throw new ContentFileException(file, Line(yearsNode), "years must map R7: {target, actual}");
            foreach (var (key, value) in years.Children)
            {
                var year = Year(key, file);
                // ap-paperless names 令和9年 as its deadline, beyond the previous plan; allow the whole span of both plans.
                if (year < 2022 || year > 2030)
                {
                    throw new ContentFileException(file, Line(key), $"{Scalar(key, file)} is outside 令和4〜12年度");
                }

                var cell = value as YamlMappingNode ?? throw new ContentFileException(file, Line(value), "a year needs {target, actual, note}");
                CheckKeys(cell, ["target", "actual", "note"], file, "year");
                var note = Optional(cell, "note");
                foreach (var (name, field) in new[] { ("target", KpiField.Target), ("actual", KpiField.Actual) })
                {
                    if (Child(cell, name) is { } v)
                    {
                        var (number, text) = Cell(v, file);
                        cells.Add(new PlanCell(year, field, number, text, note, null, Line(v)));
                    }
                }
            }
        }

        foreach (var d in Seq(map, "discrepancies", file).Select(d => ParseDiscrepancy(d, file)))
        {
            if (d.Field == KpiField.Budget)
            {
                throw new ContentFileException(file, d.Line, "a KPI's discrepancies are about target or actual; put budget ones under the project");
            }

            cells.Add(d);
        }

        return new KpiDef(
            Required(map, "id", file), projectId, plan, Required(map, "name", file), Optional(map, "unit") ?? string.Empty, Optional(map, "note"),
            Seq(map, "aliases", file).Select(n => Scalar(n, file)).ToList(), cells, Line(map));
    }

    private static IEnumerable<PlanCell> ParseBudget(YamlNode node, string file, int firstYear, int lastYear)
    {
        var map = node as YamlMappingNode ?? throw new ContentFileException(file, Line(node), "budget must map R7: 2848 (千円)");
        foreach (var (key, value) in map.Children)
        {
            var year = Year(key, file);
            if (year < firstYear || year > lastYear)
            {
                throw new ContentFileException(file, Line(key), $"{Scalar(key, file)} is outside this plan's years");
            }

            var (number, text) = Cell(value, file);
            yield return new PlanCell(year, KpiField.Budget, number, text, null, null, Line(value));
        }
    }

    private static PlanCell ParseDiscrepancy(YamlNode node, string file)
    {
        var map = node as YamlMappingNode ?? throw new ContentFileException(file, Line(node), "a discrepancy is {field, year, value, source}");
        CheckKeys(map, ["field", "year", "value", "source"], file, "discrepancy");
        var fieldText = Required(map, "field", file);
        var field = fieldText switch
        {
            "target" => KpiField.Target,
            "actual" => KpiField.Actual,
            "budget" => KpiField.Budget,
            _ => throw new ContentFileException(file, Line(Child(map, "field")!), $"field: '{fieldText}' is not target, actual or budget"),
        };
        var valueNode = Child(map, "value") ?? throw new ContentFileException(file, Line(map), "'value' is required");
        var (number, text) = Cell(valueNode, file);
        return new PlanCell(Year(Child(map, "year") ?? map, file), field, number, text, null, Required(map, "source", file), Line(map));
    }

    /// <summary>A cell is a number (1,827 or 77.5) or the plan's words.</summary>
    private static (decimal? Number, string? Text) Cell(YamlNode node, string file)
    {
        var s = Scalar(node, file).Trim();
        if (s.Length == 0 || s == "—")
        {
            throw new ContentFileException(file, Line(node), "an empty or — cell is left out, not written");
        }

        return decimal.TryParse(s.Replace(",", string.Empty, StringComparison.Ordinal), NumberStyles.Number, CultureInfo.InvariantCulture, out var n)
            ? (n, null)
            : (null, s);
    }

    private static int Year(YamlNode node, string file)
    {
        var s = Scalar(node, file);
        return s.Length > 1 && s[0] == 'R' && int.TryParse(s[1..], CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 30
            ? 2018 + n
            : throw new ContentFileException(file, Line(node), $"'{s}' is not a year like R8 (令和8年度)");
    }

    private static void CheckKeys(YamlMappingNode map, HashSet<string> known, string file, string what)
    {
        foreach (var key in map.Children.Keys)
        {
            var name = Scalar(key, file);
            if (!known.Contains(name))
            {
                throw new ContentFileException(file, Line(key), $"unknown {what} key '{name}' (known: {string.Join(", ", known)})");
            }
        }
    }

    private static int PositiveInt(YamlMappingNode map, string key, string file)
    {
        var s = Required(map, key, file);
        return int.TryParse(s, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ContentFileException(file, Line(Child(map, key)!), $"{key}: '{s}' is not a positive whole number");
    }

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    private static string? Optional(YamlMappingNode map, string key) => Child(map, key) is YamlScalarNode s ? s.Value : null;

    private static string Required(YamlMappingNode map, string key, string file)
    {
        var value = Optional(map, key);
        return string.IsNullOrWhiteSpace(value) ? throw new ContentFileException(file, Line(map), $"'{key}' is required") : value;
    }

    private static IEnumerable<YamlNode> Seq(YamlMappingNode map, string key, string file) => Child(map, key) switch
    {
        null => [],
        YamlSequenceNode seq => seq.Children,
        var other => throw new ContentFileException(file, Line(other), $"'{key}' must be a list"),
    };

    private static string Scalar(YamlNode node, string file) =>
        node is YamlScalarNode s ? s.Value ?? string.Empty : throw new ContentFileException(file, Line(node), "expected a plain value");

    private static int Line(YamlNode node) => (int)node.Start.Line;
}
