using System.Globalization;
using System.Text.RegularExpressions;
using MiniExcelLibs;

namespace Incentives.Api.Endpoints;

/// <summary>One clean data row of an import file.</summary>
internal sealed record ImportRow(int Row, string Name, string? CardNumber, string? IdNumber, int? BirthYear, string? Building, string? Grid, string? Phone,
    long OpeningBalance);

/// <summary>
/// Reads a residents spreadsheet (.xlsx or .csv, UTF-8) with MiniExcel and checks every cell, collecting every problem
/// with its spreadsheet row (the header is row 1) and the column's header as written. Headers are Chinese or English:
/// 姓名/name (required), 卡号/cardNumber, 身份证号/idNumber (ISO 7064 MOD 11-2 check character), 出生年份/birthYear,
/// 楼栋/building, 网格/grid, 电话/phone (mobile or landline, <see cref="Security.ResidentProfiles.PhoneProblem"/>),
/// 期初积分/openingBalance (integer ≥ 0). Nothing here writes anything.
/// </summary>
internal static partial class ResidentSheet
{
    public const int MaxRows = 5000;
    public const long MaxOpeningBalance = 1_000_000;

    private static readonly (string Key, string Zh)[] Columns =
        [("name", "姓名"), ("cardNumber", "卡号"), ("idNumber", "身份证号"), ("birthYear", "出生年份"), ("building", "楼栋"), ("grid", "网格"), ("phone", "电话"),
            ("openingBalance", "期初积分")];

    private static readonly int[] IdWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

    /// <summary>Kiosk card numbers: 1–3 capital letters and 4–10 digits.</summary>
    [GeneratedRegex("^[A-Z]{1,3}[0-9]{4,10}$")]
    public static partial Regex CardPattern();

    /// <summary>True for an 18-character PRC ID number whose last character is its ISO 7064 MOD 11-2 check character.</summary>
    public static bool ValidIdNumber(string id)
    {
        if (id.Length != 18 || !id[..17].All(char.IsAsciiDigit))
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (id[i] - '0') * IdWeights[i];
        }

        return "10X98765432"[sum % 11] == char.ToUpperInvariant(id[17]);
    }

    /// <summary>Reads and checks the file. <paramref name="cardTaken"/> and <paramref name="idTaken"/> say whether a
    /// card number or an ID number is already in use.</summary>
    /// <returns>The clean rows and every problem; null rows when the file cannot be read at all.</returns>
    public static (List<ImportRow>? Rows, List<ImportProblemView> Problems) Read(Stream file, bool xlsx, int thisYear, Func<string, bool> cardTaken, Func<string, bool> idTaken)
    {
        List<IDictionary<string, object?>> raw;
        try
        {
            raw = [.. MiniExcel.Query(file, useHeaderRow: false, excelType: xlsx ? ExcelType.XLSX : ExcelType.CSV).Take(MaxRows + 2)
                .Select(r => (IDictionary<string, object?>)r)];
        }
#pragma warning disable CA1031 // Any failure to read the file is the file's problem, answered as a 400.
        catch (Exception)
#pragma warning restore CA1031
        {
            return (null, []);
        }

        var problems = new List<ImportProblemView>();
        if (raw.Count == 0)
        {
            problems.Add(new(1, "姓名", "the file is empty: the first row names the columns (姓名 or name, …)", "文件为空: 第一行须为列名 (姓名 等)"));
            return ([], problems);
        }

        // The header row: letter → column key.
        var columns = new Dictionary<string, (string Key, string Header)>(StringComparer.Ordinal);
        foreach (var (letter, value) in raw[0])
        {
            var header = Text(value);
            if (header is null)
            {
                continue;
            }

            var column = Columns.FirstOrDefault(c => c.Zh == header || string.Equals(c.Key, header, StringComparison.OrdinalIgnoreCase));
            if (column.Key is null)
            {
                problems.Add(new(1, header,
                    $"unknown column '{header}': the columns are 姓名/name, 卡号/cardNumber, 身份证号/idNumber, 出生年份/birthYear, 楼栋/building, 网格/grid, 电话/phone, 期初积分/openingBalance",
                    $"未知的列 '{header}': 可用的列为 姓名、卡号、身份证号、出生年份、楼栋、网格、电话、期初积分"));
            }
            else if (columns.Values.Any(c => c.Key == column.Key))
            {
                problems.Add(new(1, header, $"column '{header}' appears twice", $"列 '{header}' 重复"));
            }
            else
            {
                columns[letter] = (column.Key, header);
            }
        }

        if (!columns.Values.Any(c => c.Key == "name"))
        {
            problems.Add(new(1, "姓名", "the column 姓名 (name) is missing", "缺少 '姓名' 列"));
        }

        if (raw.Count > MaxRows + 1)
        {
            problems.Add(new(MaxRows + 2, "姓名", $"at most {MaxRows} rows per file", $"每个文件最多 {MaxRows} 行"));
        }

        var rows = new List<ImportRow>();
        var cards = new Dictionary<string, int>(StringComparer.Ordinal);
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 1; i < raw.Count && i <= MaxRows; i++)
        {
            var row = i + 1;
            var cells = columns.ToDictionary(c => c.Value.Key, c => (Value: raw[i].TryGetValue(c.Key, out var v) ? Text(v) : null, c.Value.Header), StringComparer.Ordinal);
            if (cells.Values.All(c => c.Value is null))
            {
                continue; // a blank line
            }

            var before = problems.Count;
            void Problem(string key, string message, string messageZh) => problems.Add(new(row, cells.TryGetValue(key, out var c) ? c.Header : Columns.First(x => x.Key == key).Zh, message, messageZh));
            string? Cell(string key) => cells.TryGetValue(key, out var c) ? c.Value : null;

            var name = Cell("name");
            if (name is null)
            {
                Problem("name", "the name is missing", "姓名为必填项");
            }
            else if (name.Length > Limits.Name)
            {
                Problem("name", $"the name is longer than {Limits.Name} characters", $"姓名超过 {Limits.Name} 个字符");
            }

            var card = Cell("cardNumber")?.ToUpperInvariant();
            if (card is not null)
            {
                if (!CardPattern().IsMatch(card))
                {
                    Problem("cardNumber", $"'{card}' is not a card number: 1–3 capital letters and 4–10 digits, e.g. E10001", $"卡号 '{card}' 格式有误: 1–3 个大写字母加 4–10 位数字, 如 E10001");
                }
                else if (cards.TryGetValue(card, out var first))
                {
                    Problem("cardNumber", $"card {card} is also on row {first}", $"卡号 {card} 与第 {first} 行重复");
                }
                else if (cardTaken(card))
                {
                    Problem("cardNumber", $"card {card} is already in use", $"卡号 {card} 已被使用");
                }

                cards.TryAdd(card, row);
            }

            var idNumber = Cell("idNumber")?.ToUpperInvariant();
            if (idNumber is not null)
            {
                if (!ValidIdNumber(idNumber))
                {
                    Problem("idNumber", "not a valid ID number: 18 characters whose last is the ISO 7064 MOD 11-2 check character", "身份证号无效: 须为 18 位且校验位正确");
                }
                else if (ids.TryGetValue(idNumber, out var first))
                {
                    Problem("idNumber", $"the same ID number is on row {first}", $"身份证号与第 {first} 行重复");
                }
                else if (idTaken(idNumber))
                {
                    Problem("idNumber", "a resident with this ID number is already registered", "该身份证号已登记");
                }

                ids.TryAdd(idNumber, row);
            }

            int? birthYear = null;
            if (Cell("birthYear") is { } by)
            {
                if (int.TryParse(by, NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year >= 1900 && year <= thisYear)
                {
                    birthYear = year;
                }
                else
                {
                    Problem("birthYear", $"the birth year is a year from 1900 to {thisYear}", $"出生年份须为 1900 至 {thisYear} 之间的年份");
                }
            }

            var building = Cell("building");
            if (building?.Length > Limits.Name)
            {
                Problem("building", $"the building is longer than {Limits.Name} characters", $"楼栋超过 {Limits.Name} 个字符");
            }

            var grid = Cell("grid");
            if (grid?.Length > Security.ResidentProfiles.MaxText)
            {
                Problem("grid", $"the grid is longer than {Security.ResidentProfiles.MaxText} characters", $"网格超过 {Security.ResidentProfiles.MaxText} 个字符");
            }

            // As at the desk: spaces dropped, then a mobile or a landline (the same rule and message, so a row reads as a form would).
            var phone = Cell("phone")?.Replace(" ", string.Empty, StringComparison.Ordinal);
            if (phone is not null && Security.ResidentProfiles.PhoneProblem(phone) is { } badPhone)
            {
                Problem("phone", $"'{phone}': {badPhone.Message}", $"'{phone}': {badPhone.MessageZh}");
            }

            long balance = 0;
            if (Cell("openingBalance") is { } ob
                && (!long.TryParse(ob, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out balance) || balance < 0 || balance > MaxOpeningBalance))
            {
                Problem("openingBalance", $"the opening balance is a whole number of points from 0 to {MaxOpeningBalance}", $"期初积分须为 0 至 {MaxOpeningBalance} 之间的整数");
            }

            if (problems.Count == before)
            {
                rows.Add(new ImportRow(row, name!, card, idNumber, birthYear, building, grid, phone, balance));
            }
        }

        if (raw.Count == 1 && problems.Count == 0)
        {
            problems.Add(new(2, "姓名", "the file has a header but no residents", "文件只有列名, 没有居民"));
        }

        return (rows, problems);
    }

    private static string? Text(object? value)
    {
        var text = value switch
        {
            null => null,
            string s => s,
            double d when d == Math.Floor(d) && Math.Abs(d) < 1e15 => ((long)d).ToString(CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
        text = text?.Trim();
        return string.IsNullOrEmpty(text) ? null : text;
    }
}
