/** The application version, kept in one place (package.json is the source; tests check they agree). */
export const APP_VERSION = '0.1.0';
