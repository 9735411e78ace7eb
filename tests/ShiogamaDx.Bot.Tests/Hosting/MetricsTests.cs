using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Inbox;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Hosting;
using ShiogamaDx.Bot.Line;
using ShiogamaDx.Bot.Tests.Line;

namespace ShiogamaDx.Bot.Tests.Hosting;

public sealed class MetricsTests
{
    private const string Key = "test-metrics-key";

    [Fact]
    public async Task Metrics_AfterAWebhookEvent_ShowTheBotCountersToTheKeyHolderOnly()
    {
        await using var host = await LineTestHost.StartAsync(new() { ["Telemetry:MetricsKey"] = Key });

        await host.SendAsync(LineEvents.Text("ぬぬぬぬぬ", host.Now));
        await host.WhenSettledAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.GetAsync("/metrics")).StatusCode);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "guess") } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.SendAsync(wrong)).StatusCode);

        var text = await ScrapeAsync(host);
        Assert.True(Value(text, "shiogama_bot_events_received_total", "channel=\"line\"") >= 1, text);
        Assert.True(Value(text, "shiogama_bot_events_processed_total", "channel=\"line\"") >= 1, text);
        Assert.True(Value(text, "shiogama_bot_questions_unanswered_total", "channel=\"line\"") >= 1, text);
        Assert.True(Value(text, "shiogama_bot_answer_duration_seconds_count", "channel=\"line\"") >= 1, text);
        Assert.DoesNotContain("ぬぬぬ", text, StringComparison.Ordinal); // residents' words never become labels
    }

    [Fact]
    public async Task Metrics_WithoutAKey_AreNotServed()
    {
        await using var host = await LineTestHost.StartAsync();

        var response = await host.Client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_WithoutAKeyOrCollector_AreNotCollected()
    {
        await using var quiet = await LineTestHost.StartAsync();
        await using var scraped = await LineTestHost.StartAsync(new() { ["Telemetry:MetricsKey"] = Key });

        // No meter provider: every request and LINE call is not put into histograms that no one reads.
        Assert.Null(quiet.App.Services.GetService<OpenTelemetry.Metrics.MeterProvider>());
        Assert.NotNull(scraped.App.Services.GetService<OpenTelemetry.Metrics.MeterProvider>());
    }

    [Fact]
    public async Task Counters_WhenLineRefusesAReply_CountTheErrorByStatus_AndTheEventOnce()
    {
        await using var host = await LineTestHost.StartAsync();
        using var recorder = new Recorder(host.App.Services.GetRequiredService<IMeterFactory>());
        host.Fake.Fail("/v2/bot/message/reply", 400, message: "Invalid reply token");

        await host.SendAsync(LineEvents.Text("メニュー", host.Now));
        await host.WhenSettledAsync();
        await host.EventuallyAsync(() => recorder.Count("shiogama.bot.answer.duration") > 0, because: "the answer's time is recorded just after its commit");

        Assert.Equal(1, recorder.Sum("shiogama.bot.events.received", ("channel", "line")));
        Assert.Equal(1, recorder.Sum("shiogama.bot.events.processed", ("channel", "line")));
        Assert.Equal(0, recorder.Sum("shiogama.bot.events.failed"));
        Assert.Equal(1, recorder.Sum("shiogama.bot.line.api.errors", ("status", "400"), ("endpoint", "v2/bot/message/reply")));
        Assert.Equal(0, recorder.Sum("shiogama.bot.questions.unanswered"));
        Assert.Equal(1, recorder.Count("shiogama.bot.answer.duration"));
        Assert.Single(host.Fake.Pushes); // answered by push instead
    }

    [Fact]
    public async Task Counters_WhenLineKeepsRejectingThePush_CountTheEventAsFailed()
    {
        await using var host = await LineTestHost.StartAsync();
        using var recorder = new Recorder(host.App.Services.GetRequiredService<IMeterFactory>());
        host.Fake.Fail("/v2/bot/message/reply", 400);
        host.Fake.Fail("/v2/bot/message/push", 403, message: "not a friend");

        await host.SendAsync(LineEvents.Text("スマホ教室", host.Now));
        await host.WhenSettledAsync();
        await host.EventuallyAsync(() => recorder.Sum("shiogama.bot.events.failed") > 0, because: "the failure is counted just after its commit, which settles the item");

        Assert.Equal(1, recorder.Sum("shiogama.bot.events.failed", ("channel", "line"), ("reason", "delivery")));
        Assert.Equal(0, recorder.Sum("shiogama.bot.events.processed"));
        Assert.Equal(1, recorder.Sum("shiogama.bot.line.api.errors", ("status", "403")));
    }

    [Fact]
    public async Task Counters_WhenTheDeliveredReplyCannotBeSaved_CountTheAnswerOnce()
    {
        // Saving the delivered reply fails three times; each retry finds the reply token spent (the reply had
        // arrived) and finishes the event.
        var commits = new FailingFinishCommits(times: 3);
        await using var host = await LineTestHost.StartAsync(services: s => s.ConfigureDbContext<BotDbContext>(o => o.AddInterceptors(commits)));
        using var recorder = new Recorder(host.App.Services.GetRequiredService<IMeterFactory>());

        await host.SendAsync(LineEvents.Text("メニュー", host.Now, replyToken: "token-once"));
        await host.WhenSettledAsync(advanceBy: TimeSpan.FromMilliseconds(100)); // the worker's pause after each failure
        await host.EventuallyAsync(() => recorder.Count("shiogama.bot.answer.duration") > 0, because: "the answer's time is recorded just after its commit");

        Assert.Equal(0, commits.Left); // the finishing commit did fail
        Assert.Single(host.Fake.Replies, r => r.Status == 200);
        Assert.Equal(InboxStatus.Done, Assert.Single(host.Inbox()).Status);
        Assert.Equal(1, recorder.Sum("shiogama.bot.events.processed", ("channel", "line")));
        Assert.Equal(1, recorder.Count("shiogama.bot.answer.duration"));
        Assert.Equal(0, recorder.Sum("shiogama.bot.events.failed"));
    }

    private static async Task<string> ScrapeAsync(LineTestHost host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", Key) } };
        var response = await host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The sum over every series of the metric whose labels include <paramref name="label"/>.</summary>
    private static double Value(string text, string metric, string label) =>
        text.Split('\n')
            .Where(l => l.StartsWith(metric + "{", StringComparison.Ordinal) && l.Contains(label, StringComparison.Ordinal))
            .Sum(l => double.Parse(Regex.Match(l, @"\}\s+(\S+)").Groups[1].Value, CultureInfo.InvariantCulture));

    /// <summary>The commit that finishes LINE events (it sets their ProcessedAt) fails the first few times, as a full or broken disk would.</summary>
    private sealed class FailingFinishCommits(int times) : DbCommandInterceptor
    {
        private int left = times;

        public int Left => Math.Max(0, Volatile.Read(ref left));

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Fail(command);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Fail(command);
            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }

        private void Fail(DbCommand command)
        {
            if (command.CommandText.Contains("UPDATE \"Inbox\"", StringComparison.Ordinal) && command.CommandText.Contains("\"ProcessedAt\"", StringComparison.Ordinal)
                && Interlocked.Decrement(ref left) >= 0)
            {
                throw new SqliteException("SQLite Error 10: 'disk I/O error'.", 10);
            }
        }
    }

    /// <summary>Measurements of this host's meter only (parallel tests have their own hosts and meters).</summary>
    private sealed class Recorder : IDisposable
    {
        private readonly MeterListener listener = new();
        private readonly ConcurrentQueue<(string Name, double Value, Dictionary<string, string?> Tags)> measurements = new();

        public Recorder(IMeterFactory factory)
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == BotMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
            listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, v, tags));
            listener.Start();
        }

        public double Sum(string name, params (string Key, string Value)[] tags) => Matching(name, tags).Sum(m => m.Value);

        public int Count(string name) => Matching(name, []).Count();

        public void Dispose() => listener.Dispose();

        private IEnumerable<(string Name, double Value, Dictionary<string, string?> Tags)> Matching(string name, (string Key, string Value)[] tags) =>
            measurements.Where(m => m.Name == name && tags.All(t => m.Tags.TryGetValue(t.Key, out var v) && v == t.Value));

        private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var dictionary = new Dictionary<string, string?>();
            foreach (var tag in tags)
            {
                dictionary[tag.Key] = tag.Value?.ToString();
            }

            measurements.Enqueue((instrument.Name, value, dictionary));
        }
    }
}
