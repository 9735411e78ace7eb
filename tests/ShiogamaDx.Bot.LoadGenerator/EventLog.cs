using System.Diagnostics;

namespace ShiogamaDx.Bot.LoadGenerator;

internal enum QuestionKind : byte
{
    Menu,
    Procedure,
    Class,
}

/// <summary>One slot per event sent: when it was due, acknowledged and answered (Stopwatch timestamps), and how often answered.</summary>
internal sealed class EventLog(int capacity)
{
    private readonly long[] due = new long[capacity];
    private readonly long[] acked = new long[capacity];
    private readonly long[] answered = new long[capacity];
    private readonly int[] status = new int[capacity];
    private readonly int[] answers = new int[capacity];
    private readonly QuestionKind[] kinds = new QuestionKind[capacity];
    private int next = -1;

    public int Count => Math.Min(Volatile.Read(ref next) + 1, capacity);

    public int Capacity => capacity;

    /// <returns>-1 when full.</returns>
    public int Reserve(long dueAt)
    {
        var i = Interlocked.Increment(ref next);
        if (i >= capacity)
        {
            return -1;
        }

        due[i] = dueAt;
        return i;
    }

    public void SetKind(int i, QuestionKind kind) => kinds[i] = kind;

    public void Ack(int i, int httpStatus) => (acked[i], status[i]) = (Stopwatch.GetTimestamp(), httpStatus);

    public void Answer(int i)
    {
        if ((uint)i >= (uint)capacity)
        {
            return;
        }

        var now = Stopwatch.GetTimestamp();
        if (Interlocked.Increment(ref answers[i]) == 1)
        {
            Volatile.Write(ref answered[i], now);
        }
    }

    public PhaseResult Summarize(string name, int from, int to, TimeSpan sendWindow)
    {
        var ack = new List<double>();
        var e2e = new List<double>();
        var e2eByKind = Enum.GetValues<QuestionKind>().ToDictionary(k => k, _ => new List<double>());
        int ok = 0, failed = 0, lost = 0, duplicated = 0, answeredCount = 0;
        long lastAnswer = 0, lastAck = 0, firstDue = long.MaxValue;
        for (var i = from; i < to; i++)
        {
            firstDue = Math.Min(firstDue, due[i]);
            if (status[i] != 200)
            {
                failed++;
                continue;
            }

            ok++;
            lastAck = Math.Max(lastAck, acked[i]);
            ack.Add(Ms(acked[i] - due[i]));
            var n = Volatile.Read(ref answers[i]);
            if (n == 0)
            {
                lost++;
                continue;
            }

            answeredCount++;
            if (n > 1)
            {
                duplicated++;
            }

            var a = Volatile.Read(ref answered[i]);
            lastAnswer = Math.Max(lastAnswer, a);
            var ms = Ms(a - due[i]);
            e2e.Add(ms);
            e2eByKind[kinds[i]].Add(ms);
        }

        var answerWindow = lastAnswer > 0 ? Stopwatch.GetElapsedTime(firstDue, lastAnswer) : TimeSpan.Zero;
        var ackWindow = lastAck > 0 ? Stopwatch.GetElapsedTime(firstDue, lastAck) : TimeSpan.Zero;
        return new PhaseResult(name, to - from, ok, failed, lost, duplicated, answeredCount, sendWindow, ackWindow, answerWindow,
            Percentiles.Of(ack), Percentiles.Of(e2e), e2eByKind.ToDictionary(kv => kv.Key, kv => Percentiles.Of(kv.Value)));
    }

    public int AnsweredOrFailed(int from, int to)
    {
        var n = 0;
        for (var i = from; i < to; i++)
        {
            if (status[i] is not 0 and not 200 || Volatile.Read(ref answers[i]) > 0)
            {
                n++;
            }
        }

        return n;
    }

    public int Unacked(int from, int to)
    {
        var n = 0;
        for (var i = from; i < to; i++)
        {
            if (Volatile.Read(ref status[i]) == 0)
            {
                n++;
            }
        }

        return n;
    }

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}

internal sealed record Percentiles(int Count, double P50, double P95, double P99, double Max)
{
    public static Percentiles Of(List<double> values)
    {
        if (values.Count == 0)
        {
            return new Percentiles(0, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        values.Sort();
        double At(double p) => values[Math.Min(values.Count - 1, (int)Math.Ceiling(p * values.Count) - 1)];
        return new Percentiles(values.Count, At(0.50), At(0.95), At(0.99), values[^1]);
    }

    public override string ToString() => Count == 0 ? "n/a" : $"p50 {P50:0.0} ms, p95 {P95:0.0} ms, p99 {P99:0.0} ms, max {Max:0.0} ms";
}

internal sealed record PhaseResult(
    string Name,
    int Sent,
    int Acked,
    int Failed,
    int Lost,
    int Duplicated,
    int Answered,
    TimeSpan SendWindow,
    TimeSpan AckWindow,
    TimeSpan AnswerWindow,
    Percentiles Ack,
    Percentiles EndToEnd,
    Dictionary<QuestionKind, Percentiles> EndToEndByKind)
{
    /// <summary>Acknowledgements per second from the first event due to the last acknowledgement (not the send window: a slow server acknowledges late).</summary>
    public double AckedPerSecond => AckWindow > TimeSpan.Zero ? Acked / AckWindow.TotalSeconds : 0;

    public double AnsweredPerSecond => AnswerWindow > TimeSpan.Zero ? Answered / AnswerWindow.TotalSeconds : 0;
}
