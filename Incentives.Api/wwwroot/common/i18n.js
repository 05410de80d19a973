// Two languages, chosen per device. Every fixed label carries data-i18n="key"; dynamic content is re-rendered
// by the page when the language changes.
export function createI18n(dictionary, initial) {
  let lang = dictionary[initial] ? initial : 'zh';
  const listeners = [];
  const t = (key, vars = {}) => {
    const text = dictionary[lang][key] ?? dictionary.zh[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ''));
  };
  const apply = (root = document) => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
    for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  };
  return {
    t,
    apply,
    get lang() { return lang; },
    set(next) {
      lang = next;
      localStorage.setItem('lang', next);
      apply();
      listeners.forEach((f) => f(next));
    },
    onChange(f) { listeners.push(f); },
  };
}
