/**
 * The SCR as main holds it after reading the service's bundle: the view for the renderer (text blocks only)
 * and, beside it, the coded entries with their sensitivity labels for the workstation's own policy filter.
 */
import type { ScrView } from '../../src-shared/domain/scr-view';

/** A coding as the SCR service sent it (every field optional). */
export interface ScrCoding {
  system?: string | undefined;
  code?: string | undefined;
  display?: string | undefined;
}

export interface ScrCodedEntry {
  resourceType: 'Condition' | 'Observation';
  id: string;
  /** Key of the section that lists it (Composition.section.entry), or null when none does. */
  section: string | null;
  coding: ScrCoding[];
  /** Display text: code.text, else the first coding's display, else the first code. */
  text: string;
  /** Condition clinical status code or Observation status, when sent. */
  status: string | null;
  /** Onset / recorded date (Condition) or effective date (Observation), when sent. */
  date: string | null;
  /** meta.security as sent (e.g. v3-ActCode STD, HIV, SEX): what the policy filter decides on. */
  security: ScrCoding[];
}

export interface ScrDocument {
  /** NHS number of the Patient the Composition is about. */
  nhsNumber: string;
  compositionId: string;
  /** Composition.identifier.value (the DocumentReference's masterIdentifier), when sent. */
  identifier: string | null;
  view: ScrView;
  entries: ScrCodedEntry[];
}
