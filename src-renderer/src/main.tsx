/**
 * Renderer entry: applies the remembered theme before the first paint and mounts the React app. DOM only; it
 * talks to main through `window.stethoscope`.
 */
import { createRoot } from 'react-dom/client';
import { flushSync } from 'react-dom';
import './styles/main.scss';
import { applyTheme, loadTheme } from './app/theme';
import { App } from './App';

applyTheme(loadTheme());
const root = document.getElementById('root');
if (!root) throw new Error('#root missing');
// Rendered synchronously: the sign-in screen is painted in the same task that loaded the script.
const reactRoot = createRoot(root);
flushSync(() => reactRoot.render(<App />));
