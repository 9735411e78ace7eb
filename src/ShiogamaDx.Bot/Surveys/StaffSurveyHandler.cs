using System.Globalization;
using System.Text;
using ShiogamaDx.Bot.Conversations;

namespace ShiogamaDx.Bot.Surveys;

/// <summary>
/// 研修アンケート in the staff chat: answer a training's survey, see a training's results (aggregate only),
/// and, for the DX promotion office, send or close a survey.
/// </summary>
public sealed class StaffSurveyHandler(StaffSurveyService surveys, DialogCatalog dialogs, PrivacyKeys keys, Microsoft.Extensions.Options.IOptions<StaffSurveyOptions> options) : IIntentHandler
{
    public const string HandlerName = "staff-survey";

    public string Name => HandlerName;

    public Audience Audience => Audience.Staff;

    public double Match(Turn turn)
    {
        var t = turn.Normalized;
        var aboutSurvey = t.Contains("あんけと", StringComparison.Ordinal) || t.Contains("研修", StringComparison.Ordinal);
        return aboutSurvey ? (t.Contains("あんけと", StringComparison.Ordinal) ? 0.9 : 0.6) : 0.0;
    }

    public async Task<TurnResult> HandleAsync(Turn turn, CancellationToken cancellationToken)
    {
        var office = surveys.IsOfficeMember(turn.Message.UserKey, keys);
        if (turn.Postback is { } postback)
        {
            var training = int.TryParse(postback["t"], CultureInfo.InvariantCulture, out var id) ? await surveys.FindAsync(id, cancellationToken) : null;
            if (training is null)
            {
                return TurnResult.Of(new TextReply("その研修は見つかりませんでした。"));
            }

            return postback.Action switch
            {
                "start" => Start(training),
                "results" => TurnResult.Of(await ResultsAsync(training, cancellationToken)),
                "send" when office => TurnResult.Of(new TextReply($"「{training.Title}」のアンケートを{await surveys.SendAsync(training, null, cancellationToken)}人に送りました。")),
                "close" when office => TurnResult.Of(new TextReply(await surveys.CloseAsync(training.Id, cancellationToken) ? $"「{training.Title}」のアンケートを締め切りました。" : "締め切れませんでした。")),
                "send" or "close" => TurnResult.Of(new TextReply("アンケートの送信と締め切りは、DX推進担当（政策課デジタル推進係）だけが行えます。")),
                _ => TurnResult.Of(new TextReply("その操作はできません。")),
            };
        }

        var t = turn.Normalized;
        if (t.Contains("結果", StringComparison.Ordinal) || t.Contains("けっか", StringComparison.Ordinal) || t.Contains("集計", StringComparison.Ordinal))
        {
            return await PickAsync("results", "どの研修の結果を見ますか。", open: false, cancellationToken);
        }

        if (t.Contains('送', StringComparison.Ordinal) || t.Contains("配信", StringComparison.Ordinal) || t.Contains("締め切", StringComparison.Ordinal) || t.Contains("しめきり", StringComparison.Ordinal))
        {
            if (!office)
            {
                return TurnResult.Of(new TextReply("アンケートの送信と締め切りは、DX推進担当（政策課デジタル推進係）だけが行えます。"));
            }

            var close = t.Contains("締め切", StringComparison.Ordinal) || t.Contains("しめきり", StringComparison.Ordinal);
            return await PickAsync(close ? "close" : "send", close ? "どの研修のアンケートを締め切りますか。" : "どの研修のアンケートを全職員に送りますか。", open: true, cancellationToken);
        }

        return await PickAsync("start", "どの研修のアンケートに答えますか。", open: true, cancellationToken);
    }

    private TurnResult Start(Training training)
    {
        if (!surveys.IsOpen(training))
        {
            return TurnResult.Of(new TextReply($"「{training.Title}」のアンケートは締め切りました。ご協力ありがとうございました。"));
        }

        var kindDialog = "staff-survey-" + training.Kind;
        var dialogId = dialogs.Contains(kindDialog) ? kindDialog : "staff-survey";
        return new TurnResult([], new DialogStart(dialogId, new Dictionary<string, string>
        {
            ["training.id"] = training.Id.ToString(CultureInfo.InvariantCulture),
            ["training.title"] = training.Title,
        }));
    }

    private async Task<TurnResult> PickAsync(string action, string prompt, bool open, CancellationToken ct)
    {
        var trainings = open ? await surveys.OpenTrainingsAsync(ct) : await surveys.RecentTrainingsAsync(ct);
        if (trainings.Count == 0)
        {
            return TurnResult.Of(new TextReply(open ? "いま回答を受け付けている研修アンケートはありません。" : "研修の記録がまだありません。"));
        }

        var choices = trainings.Select(t => new Choice(
            $"{t.HeldOn.ToString("M/d", CultureInfo.InvariantCulture)} {t.Title}",
            Postback.Create(HandlerName, action, ("t", t.Id.ToString(CultureInfo.InvariantCulture))))).ToList();
        return TurnResult.Of(new ChoicesReply(prompt, choices));
    }

    private async Task<Reply> ResultsAsync(Training training, CancellationToken ct)
    {
        var results = await surveys.ResultsAsync(training, ct);
        if (results is null)
        {
            var count = await surveys.ResponseCountAsync(training.Id, ct);
            return new TextReply($"「{training.Title}」の回答は{count}件です。個人が分からないよう、{options.Value.MinimumResponses}件以上集まってから結果を表示します。");
        }

        var rows = new List<IReadOnlyList<string>>
        {
            new[] { "回答数", $"{results.Responses}件" },
            new[] { "満足度（5段階平均）", results.SatisfactionAverage.ToString("0.0", CultureInfo.InvariantCulture) },
            new[] { "難しさ", string.Join(" / ", results.Difficulty.Select(d => $"{StaffSurveyService.DifficultyLabels[d.Key]} {d.Value}")) },
            new[] { "デジタルツールを活用できている", Percent(results.DigitalToolShare) },
        };
        if (results.GenAiShare is { } genAi)
        {
            rows.Add(new[] { "生成AIで業務効率化を実感", Percent(genAi) });
        }

        var note = new StringBuilder("「そう思う」「ややそう思う」の割合。");
        if (results.Comments.Count > 0)
        {
            note.Append("\nご意見（名前なし）:");
            foreach (var comment in results.Comments.Take(20))
            {
                note.Append("\n・").Append(comment);
            }
        }

        return new TableReply($"{training.Title}（{training.HeldOn.ToString("M月d日", CultureInfo.InvariantCulture)}）の結果", ["項目", "結果"], rows, note.ToString());
    }

    private static string Percent(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}

/// <summary>The last step of the survey dialogs: store (or replace) the answers.</summary>
public sealed class StaffSurveySaveAction(StaffSurveyService surveys) : IDialogAction
{
    public string Name => "staff-survey.save";

    /// <summary>The staff KPIs count digital-tools and genai-efficiency answers valued 4 and 3.</summary>
    public IReadOnlyList<StepNeed> Needs { get; } =
    [
        new("satisfaction", StepKind.Choice, ["5", "4", "3", "2", "1"]),
        new("difficulty", StepKind.Choice),
        new("digital-tools", StepKind.Choice, ["4", "3", "2", "1"], Why: "the KPI of staff who feel they use digital tools counts 4 and 3"),
        new("genai-efficiency", StepKind.Choice, ["4", "3", "2", "1"], IfPresent: true, Why: "the KPI of staff who feel generative AI made them more efficient counts 4 and 3"),
        new("comment", StepKind.Text, IfPresent: true),
    ];

    public async Task<DialogActionResult> RunAsync(DialogActionContext context, CancellationToken cancellationToken)
    {
        var v = context.Values;
        if (!int.TryParse(v.GetValueOrDefault("training.id"), CultureInfo.InvariantCulture, out var trainingId)
            || !int.TryParse(v.GetValueOrDefault("satisfaction"), CultureInfo.InvariantCulture, out var satisfaction)
            || !int.TryParse(v.GetValueOrDefault("digital-tools"), CultureInfo.InvariantCulture, out var tools)
            || v.GetValueOrDefault("difficulty") is not { } difficulty)
        {
            return new DialogActionResult(Error: "アンケートの回答を読み取れませんでした。お手数ですが最初からお願いします。");
        }

        int? genAi = int.TryParse(v.GetValueOrDefault("genai-efficiency"), CultureInfo.InvariantCulture, out var g) ? g : null;
        var saved = await surveys.SaveAsync(trainingId, context.Turn.Message.UserKey, new StaffSurveyAnswers(satisfaction, difficulty, tools, genAi, v.GetValueOrDefault("comment")), cancellationToken);
        return saved
            ? new DialogActionResult([new TextReply("ご回答ありがとうございました。締切までは、もう一度答えると回答を差し替えられます。")])
            : new DialogActionResult(Error: "このアンケートは締め切られたため、回答を保存できませんでした。");
    }
}

/// <summary>Feeds the two staff KPIs of the plan from the answers.</summary>
public sealed class StaffSurveyKpiSource(StaffSurveyService surveys) : Kpis.IKpiValueSource
{
    public Task<IReadOnlyList<Kpis.ComputedKpiValue>> ComputeAsync(CancellationToken cancellationToken) => surveys.KpiValuesAsync(cancellationToken);
}
