using System.Reflection;
using ShiogamaDx.Bot.Hosting;

namespace ShiogamaDx.Bot.Messages;

/// <summary>
/// A sentence people read, by its key in Content/messages.yaml (<c>classes.closed</c>), with the names of the
/// placeholders the code fills, in the order <see cref="MessageSet.Format"/> takes their values. A text may leave a
/// placeholder out; one the code does not fill is refused at load.
/// </summary>
public sealed record MessageKey(string Key, params string[] Placeholders)
{
    /// <summary>Every key the host declares (static fields of each feature's and channel's <c>…Texts</c> class).</summary>
    public static IReadOnlyList<MessageKey> All { get; } = HostTypes.EndingWith("Texts")
        .SelectMany(t => t.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
        .Where(f => f.FieldType == typeof(MessageKey) && f.IsInitOnly)
        .Select(f => (MessageKey)f.GetValue(null)!)
        .OrderBy(k => k.Key, StringComparer.Ordinal)
        .ToList();

    public override string ToString() => Key;
}
