using System.Text;

namespace ShiogamaDx.Bot.Documents;

/// <summary>
/// Reads documents into sections with heading paths: PDF (PdfPig), text extracted from PDFs (.txt, UTF-8 or
/// Shift_JIS), Markdown and Word (.docx). A file that cannot be read is reported with its name (and page or line
/// where known) and skipped; the others still load.
/// </summary>
internal static class DocumentReader
{
    public static readonly string[] Extensions = [".md", ".txt", ".pdf", ".docx"];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly Lazy<Encoding> ShiftJis = new(() =>
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(932, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    });

    /// <summary>Every readable document of the folder (and its subfolders) in name order.</summary>
    /// <summary>A document's own synonym groups stand beside it as 「name.synonyms.txt」: not a document to read.</summary>
    public const string SynonymsSuffix = ".synonyms.txt";

    public static IReadOnlyList<ParsedDocument> ReadFolder(string folder, Action<string, Exception> skipped)
    {
        var documents = new List<ParsedDocument>();
        if (!Directory.Exists(folder))
        {
            skipped(folder, new DirectoryNotFoundException($"The folder '{folder}' does not exist."));
            return documents;
        }

        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()) && !Path.GetFileName(f).StartsWith("~$", StringComparison.Ordinal)
                && !f.EndsWith(SynonymsSuffix, StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var relative = Path.GetRelativePath(folder, file);
            try
            {
                documents.Add(Read(relative, File.ReadAllBytes(file)));
            }
            catch (Exception ex) when (ex is DocumentFormatException or IOException or UnauthorizedAccessException)
            {
                skipped(file, ex);
            }
        }

        return documents;
    }

    /// <summary>One document; a file that cannot be read throws <see cref="DocumentFormatException"/> naming it.</summary>
    public static ParsedDocument Read(string name, byte[] bytes)
    {
        var extension = Path.GetExtension(name).ToLowerInvariant();
        (string? Title, IReadOnlyList<Block> Blocks) read;
        try
        {
            read = extension switch
            {
                ".md" => MarkdownBlocks.Read(Decode(name, bytes)),
                ".txt" => TextLayout.Read(TextLayout.FromText(Decode(name, bytes))),
                ".pdf" => TextLayout.Read(PdfLines.Read(name, bytes)),
                ".docx" => WordBlocks.Read(bytes),
                _ => throw new DocumentFormatException(name, null, $"not a document format this reads ({string.Join(", ", Extensions)})"),
            };
        }
        catch (Exception ex) when (ex is not DocumentFormatException && IsFormatError(ex))
        {
            throw new DocumentFormatException(name, null, Reason(extension, ex), ex);
        }

        var sections = SectionBuilder.Build(read.Blocks);
        if (sections.Count == 0)
        {
            throw new DocumentFormatException(name, null, extension == ".pdf" ? "no text found (a scanned PDF needs a text layer)" : "no text found");
        }

        return new ParsedDocument(read.Title ?? Path.GetFileNameWithoutExtension(name), name, sections);
    }

    private static string Decode(string name, byte[] bytes)
    {
        var body = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? bytes[3..] : bytes;
        try
        {
            return StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException utf8)
        {
            try
            {
                return ShiftJis.Value.GetString(body); // text saved by Windows tools in Japan
            }
            catch (DecoderFallbackException)
            {
                var line = 1 + body.Take(Math.Max(utf8.Index, 0)).Count(b => b == (byte)'\n');
                throw new DocumentFormatException(name, $"line {line}", "the text is neither UTF-8 nor Shift_JIS", utf8);
            }
        }
    }

    private static bool IsFormatError(Exception ex) =>
        ex is InvalidDataException or FormatException or InvalidOperationException or ArgumentException or NotSupportedException
            or System.Xml.XmlException or DocumentFormat.OpenXml.Packaging.OpenXmlPackageException
            or UglyToad.PdfPig.Core.PdfDocumentFormatException or UglyToad.PdfPig.Exceptions.PdfDocumentEncryptedException
            or IndexOutOfRangeException or KeyNotFoundException or NullReferenceException or EndOfStreamException;

    private static string Reason(string extension, Exception ex) => extension switch
    {
        ".pdf" when ex is UglyToad.PdfPig.Exceptions.PdfDocumentEncryptedException => "the PDF is encrypted",
        ".pdf" => $"not a readable PDF ({ex.Message})",
        ".docx" => $"not a readable Word document ({ex.Message})",
        _ => ex.Message,
    };
}
