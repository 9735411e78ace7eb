namespace ShiogamaDx.Bot.Inbox;

/// <summary>
/// In one process (SQLite) the pending items' order, kept in memory: the writer adds what it stored, the worker
/// takes each person's oldest item when it is due and records how it ended. A round then costs no query: the claim
/// query it replaces was a fifth of the host's CPU under load (docs/performance.md). The inbox table stays the
/// truth: the worker reads each item by id before answering it, and loads every pending item at start and once
/// per poll interval, so a row this process did not write (a crash's leftovers) is found all the same.
/// With replicas (PostgreSQL) another process changes the inbox, so the schedule is off and the worker queries.
/// </summary>
internal sealed class InboxSchedule(bool enabled)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, SortedSet<Entry>> people = new(StringComparer.Ordinal);
    private readonly SortedSet<Entry> heads = new(Comparer<Entry>.Create(static (a, b) =>
        (a.Due, a.Timestamp, a.Id).CompareTo((b.Due, b.Timestamp, b.Id))));

    private static readonly IComparer<Entry> InOrder = Comparer<Entry>.Create(static (a, b) => (a.Timestamp, a.Id).CompareTo((b.Timestamp, b.Id)));

    public bool Enabled => enabled;

    /// <summary>A pending item: its person (or the item itself when it has none), its place in their order, when it is due.</summary>
    public readonly record struct Entry(long Id, string Person, DateTimeOffset Timestamp, DateTimeOffset Due)
    {
        public static Entry Of(InboxItem item) => Of(item.Id, item.PersonKey, item.Timestamp, item.NextAttemptAt);

        /// <summary>An item of nobody (a group's event) is a person of its own: nothing waits behind it.</summary>
        public static Entry Of(long id, string? personKey, DateTimeOffset timestamp, DateTimeOffset due) =>
            new(id, personKey ?? "item:" + id, timestamp, due);
    }

    /// <summary>Adds pending items; one already known (the same id) is left as it is.</summary>
    public void Add(IEnumerable<Entry> entries)
    {
        if (!enabled)
        {
            return;
        }

        lock (gate)
        {
            foreach (var entry in entries)
            {
                if (!people.TryGetValue(entry.Person, out var items))
                {
                    people[entry.Person] = items = new SortedSet<Entry>(InOrder);
                }

                var head = items.Count > 0 ? items.Min : default;
                if (items.Add(entry) && (head.Person is null || InOrder.Compare(entry, head) < 0))
                {
                    heads.Remove(head);
                    heads.Add(entry);
                }
            }
        }
    }

    /// <summary>
    /// Up to <paramref name="max"/> people's oldest items that are due, soonest first, skipping the people
    /// <paramref name="busy"/> names (being answered, or resting). The items stay until <see cref="Finished"/>.
    /// </summary>
    public List<Entry> Due(DateTimeOffset now, int max, Func<string, bool> busy)
    {
        var due = new List<Entry>();
        lock (gate)
        {
            foreach (var head in heads)
            {
                if (due.Count >= max || head.Due > now)
                {
                    break;
                }

                if (!busy(head.Person))
                {
                    due.Add(head);
                }
            }
        }

        return due;
    }

    /// <summary>The item is no longer pending (answered, skipped, failed for good, or gone).</summary>
    public void Finished(Entry entry)
    {
        lock (gate)
        {
            // The entry as kept: the caller's may carry an older due time.
            if (!people.TryGetValue(entry.Person, out var items) || !items.TryGetValue(entry, out var known))
            {
                return;
            }

            items.Remove(known);
            if (heads.Remove(known) && items.Count > 0)
            {
                heads.Add(items.Min);
            }

            if (items.Count == 0)
            {
                people.Remove(entry.Person);
            }
        }
    }

    /// <summary>The item waits for a retry at <paramref name="due"/>, and its person's later items with it.</summary>
    public void Postpone(Entry entry, DateTimeOffset due)
    {
        lock (gate)
        {
            if (!people.TryGetValue(entry.Person, out var items) || !items.TryGetValue(entry, out var known))
            {
                return;
            }

            var later = known with { Due = due };
            items.Remove(known);
            items.Add(later);
            if (heads.Remove(known))
            {
                heads.Add(later);
            }
        }
    }
}
