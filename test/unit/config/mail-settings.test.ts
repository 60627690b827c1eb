// The self-service settings of src/config.ts: production refuses features
// that send email without SMTP (issue 15: "never in production"), and the
// defaults a developer gets without any.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';

const production = { NODE_ENV: 'production', ISSUER: 'https://id.example.com', GATEHOUSE_SECRET: 'x'.repeat(40) };

describe('mail settings', () => {
  it('refuses self-registration or password reset in production without SMTP_URL, naming the setting', () => {
    expect(() => loadConfig({ ...production, SELF_REGISTRATION: 'true' })).toThrow(/SELF_REGISTRATION needs SMTP_URL/);
    expect(() => loadConfig({ ...production, PASSWORD_RESET: 'true' })).toThrow(/PASSWORD_RESET needs SMTP_URL/);
  });

  it('turns password reset off by default in production without SMTP, on with it', () => {
    expect(loadConfig(production).PASSWORD_RESET).toBe(false);
    const smtp = loadConfig({ ...production, SMTP_URL: 'smtps://u:p@mail.example.com:465', SELF_REGISTRATION: 'true' });
    expect(smtp.PASSWORD_RESET).toBe(true);
    expect(smtp.SELF_REGISTRATION).toBe(true);
    expect(smtp.MAIL_FROM).toBe('Gatehouse <no-reply@id.example.com>');
  });

  it('in development: reset on, registration off, domains parsed, bad values named', () => {
    const dev = loadConfig({ REGISTRATION_EMAIL_DOMAINS: ' Example.com, example.org ,' });
    expect(dev.PASSWORD_RESET).toBe(true);
    expect(dev.SELF_REGISTRATION).toBe(false);
    expect(dev.REGISTRATION_EMAIL_DOMAINS).toEqual(['example.com', 'example.org']);
    expect(() => loadConfig({ SMTP_URL: 'http://mail.example.com' })).toThrow(/SMTP_URL/);
    expect(() => loadConfig({ PASSWORD_MIN_LENGTH: '6' })).toThrow(/PASSWORD_MIN_LENGTH/);
  });
});
