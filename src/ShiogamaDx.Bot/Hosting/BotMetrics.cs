using System.Diagnostics.Metrics;

namespace ShiogamaDx.Bot.Hosting;

/// <summary>
/// The bot's own measurements (meter "ShiogamaDx.Bot"), exported by OpenTelemetry: Prometheus at /metrics and
/// OTLP when configured. Tags are small fixed sets (channel, status, reason): never a person, a text or an id.
/// </summary>
public sealed class BotMetrics
{
    public const string MeterName = "ShiogamaDx.Bot";

    private readonly Counter<long> received;
    private readonly Counter<long> processed;
    private readonly Counter<long> failed;
    private readonly Histogram<double> answerDuration;
    private readonly Counter<long> lineApiErrors;
    private readonly Counter<long> unanswered;
    private readonly Counter<long> jobRuns;

    public BotMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        received = meter.CreateCounter<long>("shiogama.bot.events.received", "{event}", "Events (LINE webhook events, staff activities) accepted for an answer");
        processed = meter.CreateCounter<long>("shiogama.bot.events.processed", "{event}", "Events finished: answered, or nothing to answer");
        failed = meter.CreateCounter<long>("shiogama.bot.events.failed", "{event}", "Events whose answer could not be made (reason=engine) or delivered (reason=delivery)");
        answerDuration = meter.CreateHistogram<double>(
            "shiogama.bot.answer.duration",
            "s",
            "From receiving an event to its answer being delivered",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300] });
        lineApiErrors = meter.CreateCounter<long>("shiogama.bot.line.api.errors", "{error}", "Calls to the LINE API that failed, by HTTP status (or 'network')");
        unanswered = meter.CreateCounter<long>("shiogama.bot.questions.unanswered", "{question}", "Questions the bot did not understand (kept for review)");
        jobRuns = meter.CreateCounter<long>("shiogama.bot.jobs.runs", "{run}", "Rounds of the scheduled jobs and outbox deliveries, by job: a job whose count stops has stopped");
    }

    public void Received(string channel, int count = 1) => received.Add(count, Tag("channel", channel));

    public void Processed(string channel) => processed.Add(1, Tag("channel", channel));

    public void Failed(string channel, string reason) => failed.Add(1, Tag("channel", channel), Tag("reason", reason));

    public void Answered(string channel, TimeSpan elapsed) => answerDuration.Record(Math.Max(0, elapsed.TotalSeconds), Tag("channel", channel));

    /// <param name="status">The HTTP status, or null when no answer came (network error, timeout, open circuit).</param>
    public void LineApiError(string endpoint, int? status) =>
        lineApiErrors.Add(1, Tag("status", status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "network"), Tag("endpoint", endpoint));

    /// <summary>A job's round ended (done, failed or held by another replica): the sign of life operators alert on.</summary>
    public void JobRan(string job) => jobRuns.Add(1, Tag("job", job));

    public void Unanswered(string channel, string audience) => unanswered.Add(1, Tag("channel", channel), Tag("audience", audience));

    private static KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);
}
