/**
 * The renderer's handle on the preload API (`window.stethoscope`), typed from the contract.
 */
import type { StethoscopeApi } from '../../../src-shared/ipc/contract';

declare global {
  interface Window {
    readonly stethoscope: StethoscopeApi;
  }
}

export function api(): StethoscopeApi {
  const a = window.stethoscope;
  if (!a) throw new Error('The Stethoscope bridge is missing: the page was not opened by the app.');
  return a;
}
