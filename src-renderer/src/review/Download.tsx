/**
 * Saves text the screen already holds (a report's CSV, an extract) as a file: a Blob, an object URL and an
 * `<a download>` clicked for the user. Nothing is fetched; the URL is revoked soon after, and at once if the
 * screen goes (a lock), so the file's contents do not outlive the workspace.
 */
import { useEffect, useRef, type ReactNode } from 'react';

const REVOKE_AFTER_MS = 1_000;

export function DownloadButton({
  text,
  type,
  filename,
  children,
  testId,
}: {
  text: string;
  type: string;
  filename: string;
  children: ReactNode;
  testId?: string;
}) {
  const pending = useRef(new Map<string, number>());

  useEffect(() => {
    const urls = pending.current;
    return () => {
      for (const [url, timer] of urls) {
        window.clearTimeout(timer);
        URL.revokeObjectURL(url);
      }
      urls.clear();
    };
  }, []);

  const save = () => {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = document.createElement('a');
    a.href = url;
    a.download = filename;
    a.rel = 'noopener';
    a.click();
    const timer = window.setTimeout(() => {
      URL.revokeObjectURL(url);
      pending.current.delete(url);
    }, REVOKE_AFTER_MS);
    pending.current.set(url, timer);
  };

  return (
    <button
      type="button"
      className="nhsuk-button nhsuk-button--secondary"
      onClick={save}
      data-testid={testId}
    >
      {children}
    </button>
  );
}
