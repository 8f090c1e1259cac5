/** A setting or secret that stops start-up; lib/boot.ts prints its message alone. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
