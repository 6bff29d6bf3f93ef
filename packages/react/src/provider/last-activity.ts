const minute = 60_000;
const hour = 60 * minute;

/**
 * `ChatLabels.lastActivity` in a language, through `Intl`: "Now", "5 min. ago", "3 hr. ago",
 * "Yesterday", a weekday within the week, then a short date (with the year when it is another
 * year's), each as the locale writes it. The first letter is upper-cased as the locale does: the
 * text stands alone in the thread list.
 */
export function lastActivityIn(locale: string): (at: Date, now: Date) => string {
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' });
  const weekday = new Intl.DateTimeFormat(locale, { weekday: 'long' });
  const thisYear = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric' });
  const otherYear = new Intl.DateTimeFormat(locale, {
    month: 'short',
    day: 'numeric',
    year: 'numeric',
  });
  const standalone = (text: string) => text.charAt(0).toLocaleUpperCase(locale) + text.slice(1);
  return (at, now) => {
    const elapsed = now.getTime() - at.getTime();
    if (elapsed < minute) return standalone(relative.format(0, 'second'));
    if (elapsed < hour) return standalone(relative.format(-Math.floor(elapsed / minute), 'minute'));
    const startOfToday = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
    if (at.getTime() >= startOfToday) {
      return standalone(relative.format(-Math.floor(elapsed / hour), 'hour'));
    }
    const days = Math.ceil((startOfToday - at.getTime()) / (24 * hour));
    if (days <= 1) return standalone(relative.format(-1, 'day'));
    if (days < 7) return standalone(weekday.format(at));
    return (at.getFullYear() === now.getFullYear() ? thisYear : otherYear).format(at);
  };
}
