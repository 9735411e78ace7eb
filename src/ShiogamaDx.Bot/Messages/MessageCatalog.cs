using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Content;

namespace ShiogamaDx.Bot.Messages;

/// <summary>
/// The wording in use. Replaced in one step when a checked new version of the file is loaded, so a reply is worded
/// wholly from the old file or wholly from the new one.
/// </summary>
public sealed class MessageCatalog(MessageSet initial)
{
    private MessageSet current = initial;

    public MessageSet Current => Volatile.Read(ref current);

    public void Replace(MessageSet set) => Volatile.Write(ref current, set);

    public static string FileOf(ContentOptions options) => Path.Combine(options.FullPath, MessageSet.FileName);
}
