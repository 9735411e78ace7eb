using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace ShiogamaDx.Bot.Hosting;

/// <summary>
/// The host's top-level types whose name ends with a suffix (<c>Texts</c>, <c>Configuration</c>), found in the
/// assembly's metadata so that only those are loaded. A walk over every type (<c>Assembly.GetTypes</c>, EF's
/// <c>ApplyConfigurationsFromAssembly</c>) loads every type of the host, and with them each assembly one of them
/// derives from or lays out a field of (PdfPig, OpenXml, SkiaSharp…), at each start.
/// </summary>
internal static class HostTypes
{
    public static IReadOnlyList<Type> EndingWith(string suffix)
    {
        var assembly = typeof(HostTypes).Assembly;
        if (assembly.Location.Length == 0)
        {
            // Published as a single file (not how the Dockerfile publishes): no file to read the metadata from.
            return [.. assembly.GetTypes().Where(t => !t.IsNested && t.Name.EndsWith(suffix, StringComparison.Ordinal))];
        }

        using var pe = new PEReader(File.OpenRead(assembly.Location));
        var metadata = pe.GetMetadataReader();
        return [.. metadata.TypeDefinitions
            .Select(metadata.GetTypeDefinition)
            .Where(t => t.GetDeclaringType().IsNil && metadata.GetString(t.Name).EndsWith(suffix, StringComparison.Ordinal))
            .Select(t => assembly.GetType($"{metadata.GetString(t.Namespace)}.{metadata.GetString(t.Name)}", throwOnError: true)!)];
    }
}
