namespace Incentives.Catalog;

/// <summary>A catalog category (积分类别), e.g. <c>VOL</c> 志愿服务 volunteering.</summary>
/// <param name="Code">Three capital letters.</param>
/// <param name="NameZh">Chinese name.</param>
/// <param name="NameEn">English name.</param>
public sealed record Category(string Code, string NameZh, string NameEn);
