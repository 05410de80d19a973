using System.Buffers.Binary;
using Incentives.Ledger;

namespace Incentives.Storage;

/// <summary>
/// The durability barrier in front of LiteDB. LiteDB 5's <c>Commit()</c> returns before its pages reach the disk, so
/// the writer first appends each batch of commands here and fsyncs once, and only then applies them to LiteDB and
/// answers. On start, records the database lacks (sequence above its last applied one) are replayed. The log is
/// emptied after a checkpoint, once the data file itself has been fsynced.
/// Record layout: length (int32 LE) · CRC-32 of the rest (uint32 LE) · sequence (int64 LE) · command JSON.
/// <para>Reading tells two kinds of damage apart. A <b>torn tail</b> — the last record incomplete or failing its
/// CRC with nothing valid after it — is what a crash in the middle of an append leaves; that batch was never
/// acknowledged, so it is cut off. Damage <b>followed by valid records</b>, or a record whose CRC holds but whose
/// command cannot be read, means acknowledged commands would be lost: the log is left untouched and opening fails
/// with the offset and the way to recover.</para>
/// </summary>
internal sealed class CommandLog : IDisposable
{
    public const int HeaderSize = 16;
    private const int MaxRecord = 64 << 20;
    private readonly FileStream _stream;
    private long _goodEnd;

    private CommandLog(FileStream stream, long goodEnd)
    {
        _stream = stream;
        _goodEnd = goodEnd;
    }

    public string Path => _stream.Name;

    public long Length => _goodEnd;

    /// <summary>Opens (or creates) the log, returns its records, and cuts off a torn tail.</summary>
    /// <exception cref="StoreOpenException">Damage followed by valid records, or a record that cannot be read.</exception>
    public static CommandLog Open(string path, out List<(long Sequence, LedgerCommand Command)> records)
    {
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1 << 16);
        try
        {
            var bytes = ReadAll(stream);
            records = Parse(bytes, path, out var goodEnd);
            if (stream.Length != goodEnd)
            {
                // A crash mid-append leaves a partial record that was never acknowledged: drop it.
                stream.SetLength(goodEnd);
                stream.Flush(flushToDisk: true);
            }

            stream.Position = goodEnd;
            return new CommandLog(stream, goodEnd);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Reads every record again (to replay after the store reopened).</summary>
    public List<(long Sequence, LedgerCommand Command)> ReadRecords()
    {
        _stream.Position = 0;
        var bytes = new byte[_goodEnd];
        _stream.ReadExactly(bytes);
        _stream.Position = _goodEnd;
        return Parse(bytes, Path, out _);
    }

    /// <summary>Appends a batch and waits until it is on disk. If the append fails (a full disk), the log is cut back
    /// to where it was, so the next append never follows a partial record.</summary>
    public void Append(IReadOnlyList<(long Sequence, byte[] Json)> batch)
    {
        if (_stream.Length != _goodEnd)
        {
            // A failed append could not be cut back last time: try again before writing anything after it.
            _stream.SetLength(_goodEnd);
            _stream.Flush(flushToDisk: true);
        }

        _stream.Position = _goodEnd;
        try
        {
            Span<byte> header = stackalloc byte[HeaderSize];
            foreach (var (sequence, json) in batch)
            {
                BinaryPrimitives.WriteInt32LittleEndian(header, 8 + json.Length);
                BinaryPrimitives.WriteInt64LittleEndian(header[8..], sequence);
                var crc = Crc32.Append(Crc32.Append(Crc32.Start, header[8..]), json);
                BinaryPrimitives.WriteUInt32LittleEndian(header[4..], Crc32.Finish(crc));
                _stream.Write(header);
                _stream.Write(json);
            }

            _stream.Flush(flushToDisk: true);
            _goodEnd = _stream.Position;
        }
        catch (IOException)
        {
            try
            {
                _stream.SetLength(_goodEnd);
                _stream.Flush(flushToDisk: true);
            }
            catch (IOException)
            {
                // Cut back on the next append (see above); until then nothing is written after the partial record.
            }

            _stream.Position = _goodEnd;
            throw;
        }
    }

    /// <summary>Empties the log. Only call once everything in it is durable in the data file.</summary>
    public void Reset()
    {
        _stream.SetLength(0);
        _stream.Flush(flushToDisk: true);
        _goodEnd = 0;
    }

    public void Dispose() => _stream.Dispose();

    /// <summary>Removes the damaged or unreadable record at <paramref name="offset"/> (up to the next valid record or
    /// the end), keeping the original as <c>.bak-*</c>. For an operator, with the service stopped.</summary>
    /// <returns>What was removed.</returns>
    public static string DropAt(string path, long offset, string backupSuffix)
    {
        var bytes = File.ReadAllBytes(path);
        if (offset < 0 || offset >= bytes.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"the log {path} is {bytes.Length} bytes long");
        }

        var next = NextValidRecord(bytes, offset + 1) ?? bytes.Length;
        var backup = path + ".bak-" + backupSuffix;
        File.Copy(path, backup);
        var kept = new byte[bytes.Length - (next - offset)];
        bytes.AsSpan(0, (int)offset).CopyTo(kept);
        bytes.AsSpan((int)next).CopyTo(kept.AsSpan((int)offset));
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            stream.Write(kept);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
        return $"removed bytes {offset}–{next} ({next - offset} bytes) from {path}; the original is kept as {backup}";
    }

    private static byte[] ReadAll(FileStream stream)
    {
        var bytes = new byte[stream.Length];
        stream.Position = 0;
        stream.ReadExactly(bytes);
        return bytes;
    }

    private static List<(long Sequence, LedgerCommand Command)> Parse(byte[] bytes, string path, out long goodEnd)
    {
        var records = new List<(long, LedgerCommand)>();
        goodEnd = 0;
        while (goodEnd < bytes.Length)
        {
            if (!IsValidRecord(bytes, goodEnd, out var length))
            {
                if (NextValidRecord(bytes, goodEnd + 1) is { } next)
                {
                    var after = records.Count > 0 ? $" after sequence {records[^1].Item1}" : " at its start";
                    throw new StoreOpenException(
                        $"the command log {path} is damaged at byte {goodEnd}{after}, and valid records follow at byte {next}: acknowledged commands " +
                        $"would be lost, so nothing was opened and the file is untouched. Restore the data folder from a backup, or drop the damaged " +
                        $"record (one command is lost) with: repair-log --drop-at {goodEnd}");
                }

                break; // a torn tail: the last, never acknowledged append
            }

            var sequence = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan((int)goodEnd + 8));
            LedgerCommand command;
            try
            {
                command = CommandCodec.Decode(bytes.AsSpan((int)goodEnd + HeaderSize, length - 8));
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or NotSupportedException or ArgumentException or InvalidOperationException)
            {
                throw new StoreOpenException(
                    $"the command log {path} holds a record that cannot be read: sequence {sequence} at byte {goodEnd} ({e.Message.Split(" Path:")[0]}). " +
                    $"Nothing was opened and the file is untouched. Drop that record (the command is lost; it was never applied) with: repair-log --drop-at {goodEnd}",
                    e);
            }

            records.Add((sequence, command));
            goodEnd += 8 + length;
        }

        return records;
    }

    private static bool IsValidRecord(byte[] bytes, long at, out int length)
    {
        length = 0;
        if (at + HeaderSize > bytes.Length)
        {
            return false;
        }

        length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan((int)at));
        if (length < 8 || length > MaxRecord || at + 8 + length > bytes.Length)
        {
            return false;
        }

        var crc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan((int)at + 4));
        return Crc32.Compute(bytes.AsSpan((int)at + 8, length)) == crc;
    }

    private static long? NextValidRecord(byte[] bytes, long from)
    {
        for (var at = from; at + HeaderSize <= bytes.Length; at++)
        {
            if (IsValidRecord(bytes, at, out _))
            {
                return at;
            }
        }

        return null;
    }
}
