/**
 * The day / high-contrast night theme: a class on <html>, remembered in this renderer's localStorage only.
 */
export type Theme = 'day' | 'night';

const KEY = 'stethoscope.theme';

export function loadTheme(): Theme {
  try {
    return window.localStorage.getItem(KEY) === 'night' ? 'night' : 'day';
  } catch {
    // Storage can be unavailable (locked-down profile): fall back to day without failing.
    return 'day';
  }
}

export function applyTheme(theme: Theme): void {
  document.documentElement.classList.toggle('app-night', theme === 'night');
  try {
    window.localStorage.setItem(KEY, theme);
  } catch {
    // Not remembered, still applied.
  }
}
