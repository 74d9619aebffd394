/**
 * Where demo mode keeps its card material in the data folder, and the organisation name its CA certificates
 * carry. Live mode refuses a data folder holding any of these folders and never trusts a CA with this name
 * (src-main/config/startup-checks.ts).
 */
export const DEMO_CA_FOLDER = 'ca';
export const DEMO_UNTRUSTED_CA_FOLDER = 'ca-untrusted';
export const DEMO_CARDS_FOLDER = 'demo-cards';
export const DEMO_DATA_FOLDERS = [DEMO_CA_FOLDER, DEMO_UNTRUSTED_CA_FOLDER, DEMO_CARDS_FOLDER] as const;

export const DEMO_CA_ORGANISATION = 'Stethoscope Demo';
