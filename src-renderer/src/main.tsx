/**
 * Renderer entry: applies the remembered theme before the first paint and mounts the React app. DOM only; it
 * talks to main through `window.stethoscope`.
 */
import { createRoot } from 'react-dom/client';
import './styles/main.scss';
import { applyTheme, loadTheme } from './app/theme';
import { App } from './App';

applyTheme(loadTheme());
const root = document.getElementById('root');
if (!root) throw new Error('#root missing');
createRoot(root).render(<App />);
