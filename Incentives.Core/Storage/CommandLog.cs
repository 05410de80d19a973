using System.Buffers.Binary;
using System.Text.Json;
using Incentives.Ledger;
using Incentives.Utility;

namespace Incentives.Storage;

/// <summary>
/// The durability barrier in front of LiteDB. LiteDB 5's <c>Commit()</c> returns before its pages reach the disk, so
/// the writer first appends each batch of commands here and fsyncs once, and only then applies them to LiteDB and
/// answers. On start, records the database lacks (sequence above its last applied one) are replayed. The log is
/// emptied after a clean close, once the data file itself has been fsynced.
/// Record layout: length (int32 LE) · CRC-32 of the rest (uint32 LE) · sequence (int64 LE) · command JSON.
/// </summary>
internal sealed class CommandLog : IDisposable
{
    private const int HeaderSize = 16;
    private readonly FileStream _stream;

    private CommandLog(FileStream stream) => _stream = stream;

    public string Path => _stream.Name;

    /// <summary>Opens (or creates) the log, returns its intact records, and cuts off a torn tail.</summary>
    public static CommandLog Open(string path, out List<(long Sequence, LedgerCommand Command)> records)
    {
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1 << 16);
        records = [];
        var header = new byte[HeaderSize];
        long goodEnd = 0;
        while (true)
        {
            stream.Position = goodEnd;
            if (stream.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false) < HeaderSize)
            {
                break;
            }

            var length = BinaryPrimitives.ReadInt32LittleEndian(header);
            var crc = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
            if (length < 8 || length > 64 << 20 || goodEnd + 8 + length > stream.Length)
            {
                break;
            }

            var body = new byte[length];
            header.AsSpan(8, 8).CopyTo(body);
            stream.ReadExactly(body, 8, length - 8);
            if (Crc32.Compute(body) != crc)
            {
                break;
            }

            var sequence = BinaryPrimitives.ReadInt64LittleEndian(body);
            var command = JsonSerializer.Deserialize<LedgerCommand>(body.AsSpan(8), JsonSetup.Options)
                ?? throw new InvalidDataException($"empty command at sequence {sequence} in {path}");
            records.Add((sequence, command));
            goodEnd += 8 + length;
        }

        if (stream.Length != goodEnd)
        {
            // A crash mid-append leaves a partial record that was never acknowledged: drop it.
            stream.SetLength(goodEnd);
            stream.Flush(flushToDisk: true);
        }

        stream.Position = goodEnd;
        return new CommandLog(stream);
    }

    /// <summary>Appends a batch and waits until it is on disk.</summary>
    public void Append(IReadOnlyList<(long Sequence, LedgerCommand Command)> batch)
    {
        Span<byte> header = stackalloc byte[8];
        foreach (var (sequence, command) in batch)
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(command, JsonSetup.Options);
            var body = new byte[8 + json.Length];
            BinaryPrimitives.WriteInt64LittleEndian(body, sequence);
            json.CopyTo(body, 8);
            BinaryPrimitives.WriteInt32LittleEndian(header, body.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(header[4..], Crc32.Compute(body));
            _stream.Write(header);
            _stream.Write(body);
        }

        _stream.Flush(flushToDisk: true);
    }

    public long Length => _stream.Length;

    /// <summary>Empties the log. Only call once everything in it is durable in the data file.</summary>
    public void Reset()
    {
        _stream.SetLength(0);
        _stream.Flush(flushToDisk: true);
    }

    public void Dispose() => _stream.Dispose();
}
