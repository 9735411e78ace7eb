using ShiogamaDx.Bot.Inbox;
using Entry = ShiogamaDx.Bot.Inbox.InboxSchedule.Entry;

namespace ShiogamaDx.Bot.Tests.Inbox;

/// <summary>The in-memory order of one process's pending items: each person's oldest first, people by when they are due.</summary>
public sealed class InboxScheduleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    private static Entry At(long id, string person, int second, int dueSecond = 0) =>
        new(id, person, T0.AddSeconds(second), T0.AddSeconds(dueSecond));

    [Fact]
    public void APersonsOldestItemComesFirst_HoweverTheyArrived()
    {
        var schedule = new InboxSchedule(enabled: true);
        schedule.Add([At(2, "a", 5)]);
        schedule.Add([At(1, "a", 3)]); // an older one found later (the load at start)

        var due = schedule.Due(T0, 10, _ => false);

        Assert.Equal([1L], due.Select(e => e.Id));
    }

    [Fact]
    public void PeopleComeInTheOrderTheirItemsAreDue()
    {
        var schedule = new InboxSchedule(enabled: true);
        schedule.Add([At(1, "late", 1, dueSecond: 30), At(2, "b", 2), At(3, "c", 1)]);

        Assert.Equal([3L, 2L], schedule.Due(T0, 10, _ => false).Select(e => e.Id));
        Assert.Equal([3L, 2L, 1L], schedule.Due(T0.AddSeconds(30), 10, _ => false).Select(e => e.Id));
        Assert.Equal([3L], schedule.Due(T0, 1, _ => false).Select(e => e.Id));
    }

    [Fact]
    public void ABusyPersonIsPassedOver_AndTheirLaterItemsWithThem()
    {
        var schedule = new InboxSchedule(enabled: true);
        schedule.Add([At(1, "a", 1), At(2, "a", 2), At(3, "b", 3)]);

        Assert.Equal([3L], schedule.Due(T0, 10, person => person == "a").Select(e => e.Id));
    }

    [Fact]
    public void AFinishedItemGivesThePersonsNextOne()
    {
        var schedule = new InboxSchedule(enabled: true);
        var first = At(1, "a", 1);
        schedule.Add([first, At(2, "a", 2)]);

        schedule.Finished(first);

        Assert.Equal([2L], schedule.Due(T0, 10, _ => false).Select(e => e.Id));
        schedule.Finished(At(2, "a", 2));
        Assert.Empty(schedule.Due(T0.AddDays(1), 10, _ => false));
    }

    [Fact]
    public void APostponedItemHoldsThePersonsLaterItemsUntilItIsDue()
    {
        var schedule = new InboxSchedule(enabled: true);
        var first = At(1, "a", 1);
        schedule.Add([first, At(2, "a", 2), At(3, "b", 3)]);

        schedule.Postpone(first, T0.AddMinutes(1));

        Assert.Equal([3L], schedule.Due(T0, 10, _ => false).Select(e => e.Id));
        Assert.Equal([3L, 1L], schedule.Due(T0.AddMinutes(1), 10, _ => false).Select(e => e.Id));
    }

    [Fact]
    public void AnItemKnownAlreadyIsNotAddedTwice_AndKeepsItsRetryTime()
    {
        var schedule = new InboxSchedule(enabled: true);
        var first = At(1, "a", 1);
        schedule.Add([first]);
        schedule.Postpone(first, T0.AddMinutes(1));

        schedule.Add([first]); // the periodic load reads the row again

        Assert.Empty(schedule.Due(T0, 10, _ => false));
        schedule.Finished(first);
        Assert.Empty(schedule.Due(T0.AddMinutes(1), 10, _ => false));
    }

    [Fact]
    public void WithReplicas_NothingIsKept()
    {
        var schedule = new InboxSchedule(enabled: false);
        schedule.Add([At(1, "a", 1)]);

        Assert.Empty(schedule.Due(T0, 10, _ => false));
    }
}
